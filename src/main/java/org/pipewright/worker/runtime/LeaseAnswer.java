package org.pipewright.worker.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The control plane's answer to {@code lease}: jobs to run, acks of riding completions, exit. */
record LeaseAnswer(List<JobSpec> jobs, List<Ack> acks, boolean exit) {

  static LeaseAnswer fromJson(Map<String, Object> json) {
    List<Map<String, Object>> objects = Fields.objects(json, "jobs");
    List<JobSpec> jobs = new ArrayList<>(objects.size());
    for (Map<String, Object> job : objects) {
      jobs.add(JobSpec.fromJson(job));
    }
    return new LeaseAnswer(jobs, Ack.listFromJson(json), Fields.optBoolean(json, "exit"));
  }
}
