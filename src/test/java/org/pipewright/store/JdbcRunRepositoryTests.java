package org.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.DefinitionParser;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineProperties;
import org.pipewright.run.JobRow;
import org.pipewright.run.JobSpec;
import org.pipewright.run.JobState;
import org.pipewright.run.RunRequest;
import org.pipewright.run.RunRow;
import org.pipewright.run.RunState;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/** Runs and their jobs as the run API pages and counts them, against H2 with the Flyway schema. */
@JdbcTest
// The catalog checks java: classes against pipewright.pipelines.java-packages.
@EnableConfigurationProperties(PipelineProperties.class)
@Import({
  JdbcRunRepository.class,
  JdbcPipelineRepository.class,
  PipelineCatalog.class,
  DefinitionParser.class,
  JdbcRunRepositoryTests.Parts.class
})
class JdbcRunRepositoryTests {

  static final Instant NOW = Instant.parse("2025-03-01T10:15:30Z");

  @TestConfiguration
  static class Parts {
    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    JsonMapper jsonMapper() {
      return JsonMapper.builder().build();
    }
  }

  @Autowired JdbcRunRepository runs;
  @Autowired PipelineCatalog catalog;

  long run;

  /** A run of "make" (jobs 0..3) then "up" (jobs 4..9); every third job failed. */
  @BeforeEach
  void aRunOfTenJobs() {
    catalog.register("demo", "d1", "yaml", "name: demo", "{}");
    run =
        runs.insertRun(
            new RunRow(
                0,
                "demo",
                1,
                RunState.RUNNING,
                new RunRequest("demo", null, List.of(), List.of(), false, 1, false),
                List.of(),
                NOW,
                NOW,
                null,
                null,
                0),
            "control-plane-a");
    List<JobRow> jobs = new ArrayList<>();
    for (int seq = 0; seq < 10; seq++) {
      String task = seq < 4 ? "make" : "up";
      JobState state = seq % 3 == 2 ? JobState.FAILED : JobState.SUCCEEDED;
      jobs.add(job(run, seq, task + ":" + seq, task, state));
    }
    runs.insertJobs(jobs);
  }

  static JobRow job(long runId, int seq, String key, String task, JobState state) {
    JobSpec spec =
        new JobSpec(
            "touch",
            null,
            null,
            List.of(),
            List.of(key),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            null);
    return new JobRow(
        0, runId, seq, key, task, state, spec, 1, 0, null, null, null, null, null, null, null, null,
        1);
  }

  @Test
  void pagesFollowPlanOrderFromAnyOffset() {
    assertThat(keys(runs.pageJobs(run, null, null, 0, 3)))
        .containsExactly("make:0", "make:1", "make:2");
    assertThat(keys(runs.pageJobs(run, null, null, 8, 50))).containsExactly("up:8", "up:9");
    assertThat(runs.pageJobs(run, null, null, 10, 50)).isEmpty();
  }

  @Test
  void pagesOfOneTaskOrOneStateHoldOnlyThose() {
    assertThat(keys(runs.pageJobs(run, "up", null, 1, 2))).containsExactly("up:5", "up:6");
    assertThat(keys(runs.pageJobs(run, null, JobState.FAILED, 1, 50)))
        .containsExactly("up:5", "up:8");
    assertThat(keys(runs.pageJobs(run, "up", JobState.FAILED, 0, 50)))
        .containsExactly("up:5", "up:8");
  }

  @Test
  void jobsFoundByIdComeInPlanOrder() {
    List<JobRow> all = runs.jobsOfRun(run);

    List<JobRow> found = runs.findJobs(List.of(all.get(7).id(), all.get(2).id(), -1L));

    assertThat(keys(found)).containsExactly("make:2", "up:7");
    assertThat(runs.findJobs(List.of())).isEmpty();
  }

  @Test
  void withoutStoredCountsTheJobsAreCountedPerTaskInPlanOrder() {
    assertThat(runs.countsByTask(run))
        .containsExactly(
            Map.entry("make", Map.of(JobState.SUCCEEDED, 3, JobState.FAILED, 1)),
            Map.entry("up", Map.of(JobState.SUCCEEDED, 4, JobState.FAILED, 2)));
  }

  @Test
  void countsStoredAsTheRunEndedAreWhatItShowsUntilJobsAreCancelledLate() {
    Map<String, Map<JobState, Integer>> stored =
        Map.of("make", Map.of(JobState.SUCCEEDED, 4), "up", Map.of(JobState.SUCCEEDED, 6));
    runs.storeFinalCounts(run, stored);

    assertThat(runs.countsByTask(run)).isEqualTo(stored);

    runs.cancelWaiting(run, "planned as the run ended");

    assertThat(runs.countsByTask(run).get("up")).containsEntry(JobState.FAILED, 2);
  }

  private static List<String> keys(List<JobRow> jobs) {
    return jobs.stream().map(JobRow::key).toList();
  }
}
