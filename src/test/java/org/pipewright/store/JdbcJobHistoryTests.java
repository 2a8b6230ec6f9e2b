package org.pipewright.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pipewright.pipeline.DefinitionParser;
import org.pipewright.pipeline.PipelineCatalog;
import org.pipewright.pipeline.PipelineProperties;
import org.pipewright.plan.JobHistory;
import org.pipewright.plan.JobHistory.OutputRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** The job history the planner reads, against H2 with the Flyway schema. */
@JdbcTest
// The catalog checks java: classes against pipewright.pipelines.java-packages.
@EnableConfigurationProperties(PipelineProperties.class)
@Import({
  JdbcJobHistory.class,
  JdbcPipelineRepository.class,
  PipelineCatalog.class,
  DefinitionParser.class,
  JdbcJobHistoryTests.Time.class
})
class JdbcJobHistoryTests {

  @TestConfiguration
  static class Time {
    @Bean
    Clock clock() {
      return Clock.fixed(Instant.parse("2025-03-01T10:15:30Z"), ZoneOffset.UTC);
    }
  }

  @Autowired JdbcJobHistory history;
  @Autowired PipelineCatalog catalog;

  @BeforeEach
  void pipelines() {
    catalog.register("demo", "d1", "yaml", "name: demo", "{}");
    catalog.register("other", "d1", "yaml", "name: other", "{}");
  }

  @Test
  void pipelineThatNeverRanHasAnEmptyHistory() {
    assertThat(history.forPipeline("demo").lookup("a.1")).isEmpty();
  }

  @Test
  void recordedOutputsAreFoundPerPipeline() {
    history.record("demo", "a.1", new OutputRecord("act", "par", 42L));
    history.record("demo", "b/c.txt", new OutputRecord("act2", "par2", 43L));

    JobHistory demo = history.forPipeline("demo");

    assertThat(demo.lookup("a.1")).contains(new OutputRecord("act", "par", 42L));
    assertThat(demo.lookup("b/c.txt")).contains(new OutputRecord("act2", "par2", 43L));
    assertThat(demo.lookup("missing")).isEmpty();
    assertThat(history.forPipeline("other").lookup("a.1")).isEmpty();
  }

  @Test
  void aLaterCompletionReplacesTheRecord() {
    history.record("demo", "a.1", new OutputRecord("act", "par", 42L));

    history.record("demo", "a.1", new OutputRecord("act-v2", "par-v2", 99L));

    assertThat(history.forPipeline("demo").lookup("a.1"))
        .contains(new OutputRecord("act-v2", "par-v2", 99L));
  }

  @Test
  void forgottenOutputsHaveNoRecord() {
    List<String> many = IntStream.range(0, 1200).mapToObj(i -> "chunk." + i).toList();
    many.forEach(p -> history.record("demo", p, new OutputRecord("a", "p", 1L)));
    history.record("demo", "kept", new OutputRecord("a", "p", 1L));

    history.forget("demo", many);

    JobHistory after = history.forPipeline("demo");
    assertThat(many).allSatisfy(p -> assertThat(after.lookup(p)).isEmpty());
    assertThat(after.lookup("kept")).isPresent();
  }

  @Test
  void aSnapshotDoesNotChangeWhenLaterJobsComplete() {
    history.record("demo", "a.1", new OutputRecord("act", "par", 42L));
    JobHistory snapshot = history.forPipeline("demo");

    history.record("demo", "a.2", new OutputRecord("act", "par", 43L));

    assertThat(snapshot.lookup("a.2")).isEmpty();
  }
}
