package org.pipewright.web;

import java.util.Map;
import org.pipewright.pipeline.PipelineProperties;
import org.pipewright.sharedlog.SharedLogProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The request body limits, registered ahead of security so an oversized body is refused before
 * anything reads it. Import it into {@code @WebMvcTest} slices that should see the limit.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PipelineProperties.class, SharedLogProperties.class})
public class WebConfiguration {

  /** Before Spring Security's filter chain, after the encoding and observation filters. */
  static final int BODY_LIMIT_ORDER = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 10;

  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(
      PipelineProperties limits,
      SharedLogProperties log,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
    var registration =
        new FilterRegistrationBean<>(
            new RequestBodyLimitFilter(
                limits.maxBodyBytes(), Map.of("/api/log", log.maxBodySize().toBytes()), problems));
    registration.setOrder(BODY_LIMIT_ORDER);
    registration.addUrlPatterns("/*");
    return registration;
  }
}
