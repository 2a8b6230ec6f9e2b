package org.pipewright.metrics;

import java.io.File;
import java.nio.file.Path;
import org.pipewright.WorkspaceProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The disk the pipelines write to, in {@code /actuator/health}: down below 100 MB free, where jobs
 * start failing on full disks. Measured on the workspace, or on the nearest folder above it that
 * exists yet (a fresh service makes the workspace with its first run).
 */
final class WorkspaceDiskHealth implements HealthIndicator {

  static final long THRESHOLD_BYTES = 100L * 1024 * 1024;

  private final Path root;

  WorkspaceDiskHealth(WorkspaceProperties workspace) {
    this.root = workspace.root().toAbsolutePath().normalize();
  }

  @Override
  public Health health() {
    Path existing = root;
    while (existing != null && !existing.toFile().exists()) {
      existing = existing.getParent();
    }
    File folder = existing == null ? new File("/") : existing.toFile();
    long free = folder.getUsableSpace();
    Health.Builder health = free >= THRESHOLD_BYTES ? Health.up() : Health.down();
    return health
        .withDetail("path", root.toString())
        .withDetail("free", free)
        .withDetail("total", folder.getTotalSpace())
        .withDetail("threshold", THRESHOLD_BYTES)
        .build();
  }
}
