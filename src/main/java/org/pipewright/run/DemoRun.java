package org.pipewright.run;

import java.util.List;
import org.pipewright.PipewrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * With the {@code demo} profile, runs Ruffus's shared-log example and the shared-log demo once the
 * demo pipelines are posted and the workers are up, so a newcomer sees runs go by and their entries
 * arrive in the shared log. On later starts their jobs are up to date and the runs skip them all,
 * as Ruffus would.
 */
@Component
@Profile("demo")
@Order(2)
class DemoRun implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoRun.class);
  static final List<String> PIPELINES = List.of("shared-log", "shared-log-demo");

  private final RunService runs;
  private final Environment environment;

  DemoRun(RunService runs, Environment environment) {
    this.runs = runs;
    this.environment = environment;
  }

  @Override
  public void run(ApplicationArguments args) {
    for (String pipeline : PIPELINES) {
      try {
        RunRow run =
            runs.start(new RunRequest(pipeline, null, List.of(), List.of(), false, 1, false));
        log.info(
            "Demo run {} of '{}' started; follow it: curl -H \"Authorization: Bearer $(cat"
                + " data/admin-token)\" http://127.0.0.1:{}/api/runs/{}",
            run.id(),
            pipeline,
            environment.getProperty("local.server.port", "8080"),
            run.id());
      } catch (PipewrightException e) {
        log.warn("The demo run of '{}' did not start: {}", pipeline, e.getMessage());
      }
    }
  }
}
