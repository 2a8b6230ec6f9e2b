package org.pipewright.plan;

import java.util.List;
import org.pipewright.pipeline.FileFilter;

/** Factory behind {@link NameFilter#compile} and {@link NameMatch#tuple}. */
final class NameFilters {

  private NameFilters() {}

  static NameFilter compile(FileFilter spec) {
    throw new UnsupportedOperationException("not yet written");
  }

  static NameMatch tuple(List<NameMatch> parts) {
    throw new UnsupportedOperationException("not yet written");
  }
}
