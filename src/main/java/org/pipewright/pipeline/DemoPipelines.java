package org.pipewright.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * With the {@code demo} profile, posts the example pipelines of {@code classpath:demo/} at start,
 * so a newcomer has something to plan right away. Posting is idempotent: a restart adds no version.
 */
@Component
@Profile("demo")
@Order(1)
class DemoPipelines implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoPipelines.class);

  private final PipelineCatalog catalog;
  private final Environment environment;

  DemoPipelines(PipelineCatalog catalog, Environment environment) {
    this.catalog = catalog;
    this.environment = environment;
  }

  @Override
  public void run(ApplicationArguments args) {
    try {
      for (Resource resource :
          new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.yaml")) {
        var registration = catalog.post(resource.getContentAsByteArray(), SourceFormat.YAML);
        log.info(
            "Demo pipeline '{}' is version {}; plan it: curl -H \"Authorization: Bearer $(cat data/admin-token)\" -H 'Accept: text/plain' -X POST http://127.0.0.1:{}/api/pipelines/{}/plan",
            registration.pipeline().name(),
            registration.pipeline().version(),
            environment.getProperty("local.server.port", "8080"),
            registration.pipeline().name());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the demo pipelines", e);
    }
  }
}
