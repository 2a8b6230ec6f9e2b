package org.pipewright;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Pipewright's control plane: pipelines, plans, runs, workers, the shared log and lock. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PipewrightApplication {

  public static void main(String[] args) {
    SpringApplication.run(PipewrightApplication.class, args);
  }
}
