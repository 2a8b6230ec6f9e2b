package org.pipewright.run;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A run's jobs counted by state, over all tasks and for each task in plan order: what the API and
 * the dashboard show. States no job is in are left out, whether the counts came from memory (where
 * a state a job left stays at 0) or from the table.
 *
 * @param jobs every job known
 * @param byState jobs per state, over all tasks
 * @param tasks jobs per state for each task
 */
public record RunCounts(int jobs, Map<JobState, Integer> byState, List<TaskCounts> tasks) {

  /** One task's jobs, per state. */
  public record TaskCounts(String task, int jobs, Map<JobState, Integer> counts) {}

  public static RunCounts of(Map<String, Map<JobState, Integer>> byTask) {
    Map<JobState, Integer> byState = new EnumMap<>(JobState.class);
    List<TaskCounts> tasks = new ArrayList<>(byTask.size());
    int total = 0;
    for (Map.Entry<String, Map<JobState, Integer>> task : byTask.entrySet()) {
      Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
      int jobs = 0;
      for (Map.Entry<JobState, Integer> count : task.getValue().entrySet()) {
        if (count.getValue() > 0) {
          counts.put(count.getKey(), count.getValue());
          byState.merge(count.getKey(), count.getValue(), Integer::sum);
          jobs += count.getValue();
        }
      }
      total += jobs;
      tasks.add(new TaskCounts(task.getKey(), jobs, counts));
    }
    return new RunCounts(total, byState, tasks);
  }
}
