package org.pipewright.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every route the application serves, called as a stranger and as a viewer: a stranger gets 401
 * from every one but the sign-in page and its assets (403 from the sign-out form, whose CSRF check
 * comes first); a viewer gets 403 from every one that needs more than reading. The routes come from
 * the running application, so a new one is called too.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:every-route;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=admin-token",
      "pipewright.workers.launcher=none"
    })
class EveryRouteTests {

  static final String VIEWER = "vera-token";
  static final String OPERATOR = "otto-token";

  @TempDir static Path folder;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.resolve("workspace").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("shared.log").toString());
    // All of a list's entries from one source: the binder takes a list whole from one source.
    registry.add("pipewright.security.tokens[0].name", () -> "vera");
    registry.add("pipewright.security.tokens[0].role", () -> "viewer");
    registry.add(
        "pipewright.security.tokens[0].sha256",
        () -> HexFormat.of().formatHex(PersonTokens.sha256(VIEWER)));
    registry.add("pipewright.security.tokens[1].name", () -> "otto");
    registry.add("pipewright.security.tokens[1].role", () -> "operator");
    registry.add(
        "pipewright.security.tokens[1].sha256",
        () -> HexFormat.of().formatHex(PersonTokens.sha256(OPERATOR)));
  }

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  record Route(HttpMethod method, String pattern) {

    String path() {
      return AccessRulesTests.example(pattern);
    }
  }

  List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(info -> {
          Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
          for (String pattern : info.getPatternValues()) {
            if (AccessRulesTests.DISPATCH_ONLY.contains(pattern)) {
              continue;
            }
            for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
              routes.add(new Route(method.asHttpMethod(), pattern));
            }
          }
        });
    return routes;
  }

  int call(Route route, String token) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .method(route.method().name(), BodyPublishers.ofString("{}"));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), BodyHandlers.discarding()).statusCode();
  }

  /** The rule that decides the route: the first that matches, as the filter chain reads them. */
  static AccessRules.Access access(Route route) {
    for (AccessRules.Rule rule : AccessRules.RULES) {
      if (rule.method() != null && !rule.method().equals(route.method())) {
        continue;
      }
      for (String pattern : rule.patterns()) {
        if (PathPatternParser.defaultInstance
            .parse(pattern)
            .matches(PathContainer.parsePath(route.path()))) {
          return rule.access();
        }
      }
    }
    return AccessRules.Access.atLeast(Role.ADMIN);
  }

  @Test
  void aStrangerIsRefusedByEveryRouteButTheSignInPage() throws Exception {
    List<String> open = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Route route : routes()) {
      int status = call(route, null);
      // Signing out is a form: its CSRF check comes before anything else.
      int refused = route.pattern().equals("/signout") ? 403 : 401;
      if (access(route).open()) {
        open.add(route.method() + " " + route.pattern());
      } else if (status != refused) {
        wrong.add(route.method() + " " + route.pattern() + " -> " + status);
      }
    }

    assertThat(wrong).as("routes that did not answer 401 without a token").isEmpty();
    assertThat(open).allMatch(route -> route.endsWith(" /signin"));
  }

  /**
   * The routes a sweep called, and those that did not answer 403.
   *
   * @param checked each as {@code METHOD pattern}
   * @param wrong each as {@code METHOD pattern -> status}
   */
  record Sweep(List<String> checked, List<String> wrong) {}

  /** Calls with {@code token} every route whose rule lets none of {@code roles} in. */
  Sweep callsRefusedTo(String token, Role... roles) throws Exception {
    List<String> checked = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (Route route : routes()) {
      AccessRules.Access access = access(route);
      if (access.open() || Stream.of(roles).anyMatch(r -> access.roles().contains(r.name()))) {
        continue;
      }
      checked.add(route.method() + " " + route.pattern());
      int status = call(route, token);
      if (status != 403) {
        wrong.add(route.method() + " " + route.pattern() + " -> " + status);
      }
    }
    return new Sweep(checked, wrong);
  }

  @Test
  void aViewerIsRefusedByEveryRouteThatNeedsMoreThanReading() throws Exception {
    Sweep calls = callsRefusedTo(VIEWER, Role.VIEWER);

    assertThat(calls.checked()).as("routes a viewer may not call").contains("POST /api/runs");
    assertThat(calls.wrong()).as("routes that did not answer 403 to a viewer").isEmpty();
  }

  @Test
  void anOperatorIsRefusedByEveryRouteOnlyAnAdminMayCall() throws Exception {
    Sweep calls = callsRefusedTo(OPERATOR, Role.VIEWER, Role.OPERATOR);

    assertThat(calls.checked())
        .as("routes an operator may not call")
        .contains("PUT /api/workers/pool");
    assertThat(calls.wrong()).as("routes that did not answer 403 to an operator").isEmpty();
  }
}
