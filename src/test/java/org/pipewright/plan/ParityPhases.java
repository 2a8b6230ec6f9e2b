package org.pipewright.plan;

import java.util.List;
import java.util.Set;

/**
 * What one side of the parity suite did with a case.
 *
 * @param first jobs run in a fresh workdir holding only the setup files
 * @param unchanged jobs run again right after, nothing changed
 * @param touched jobs run after the case's touched file got newer (empty when it names none)
 * @param files every file in the workdir at the end
 */
record ParityPhases(
    List<RecordedJob> first,
    List<RecordedJob> unchanged,
    List<RecordedJob> touched,
    Set<String> files) {}
