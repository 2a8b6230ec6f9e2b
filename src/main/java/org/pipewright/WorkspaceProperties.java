package org.pipewright;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where pipelines read and write their files. Shared by pipeline validation, planning and the
 * workers, so it lives at the root rather than in any one of them.
 *
 * @param root folder that holds one workdir per pipeline; every path in a definition resolves
 *     inside it, and nothing may leave it (default {@code ./workspace}, relative to the working
 *     directory)
 */
@ConfigurationProperties("pipewright.workspace")
public record WorkspaceProperties(@DefaultValue("./workspace") Path root) {}
