package org.pipewright.pipeline;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The parser, bounded by the operator's limits. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PipelineProperties.class)
class PipelineConfiguration {

  @Bean
  DefinitionParser definitionParser(PipelineProperties properties) {
    return new DefinitionParser(
        new DefinitionLimits(
            (int) Math.min(Integer.MAX_VALUE, properties.maxBodyBytes()),
            properties.maxTasks(),
            properties.maxNestingDepth(),
            properties.maxAliases(),
            properties.maxValues(),
            properties.maxStringLength(),
            properties.maxListedJobs()));
  }
}
