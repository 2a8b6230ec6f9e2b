package org.pipewright.cluster;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code pipewright.cluster}: control planes sharing one database.
 *
 * @param heartbeat how often this process renews its row and looks for dead peers
 * @param takeoverAfter how long a peer's row may stay unrenewed before its runs are taken over;
 *     must exceed twice the workers' lease, so that the dead peer's workers have killed their jobs
 *     before those jobs run elsewhere (checked at start)
 */
@ConfigurationProperties("pipewright.cluster")
public record ClusterProperties(
    @DefaultValue("1s") Duration heartbeat, @DefaultValue("40s") Duration takeoverAfter) {}
