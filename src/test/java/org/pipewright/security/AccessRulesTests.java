package org.pipewright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every route the application serves has a rule of its own in {@link AccessRules}: a route added
 * without one would fall to the admin-only default silently, and this test says which.
 */
@SpringBootTest(
    properties = {
      "spring.datasource.url=jdbc:h2:mem:access-rules;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none"
    })
class AccessRulesTests {

  /** Reached only by the container's own error dispatch, which is let through as such. */
  static final Set<String> DISPATCH_ONLY = Set.of("/error");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void everyRouteHasAnExplicitRule() {
    List<String> routes = new ArrayList<>();
    List<String> unruled = new ArrayList<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(info -> {
          Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
          for (String pattern : info.getPatternValues()) {
            if (DISPATCH_ONLY.contains(pattern)) {
              continue;
            }
            for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
              String route = method + " " + pattern;
              routes.add(route);
              if (!ruled(method.asHttpMethod(), example(pattern))) {
                unruled.add(route);
              }
            }
          }
        });

    assertThat(routes).as("the routes found").hasSizeGreaterThan(25).contains("GET /runs/{id}");
    assertThat(unruled).as("routes with no rule in AccessRules").isEmpty();
  }

  @Test
  void aRouteWithNoRuleIsFound() {
    assertThat(ruled(HttpMethod.DELETE, "/api/runs/1")).isFalse();
    assertThat(ruled(HttpMethod.GET, "/api/runs/1")).isTrue();
  }

  /** A path the pattern matches: each variable is given a value. */
  static String example(String pattern) {
    return pattern.replaceAll("\\{[^}]+}", "1");
  }

  static boolean ruled(HttpMethod method, String path) {
    for (AccessRules.Rule rule : AccessRules.RULES) {
      if (rule.method() != null && !rule.method().equals(method)) {
        continue;
      }
      for (String pattern : rule.patterns()) {
        if (PathPatternParser.defaultInstance
            .parse(pattern)
            .matches(PathContainer.parsePath(path))) {
          return true;
        }
      }
    }
    return false;
  }
}
