package org.pipewright.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pipewright.lock.LockSocketAdmission;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.session.NullAuthenticatedSessionStrategy;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Every request needs a token except {@code /actuator/health}, the sign-in page and the dashboard's
 * static assets; what each token's role opens is in {@link AccessRules}. API clients send it as a
 * bearer token; the dashboard's browser sends the signed session cookie it got at sign-in ({@link
 * DashboardSessions}). No server session: a request that changes something with the cookie must
 * also carry a CSRF token, which the dashboard's forms do, and must say it was sent from this
 * origin ({@link SameOriginFilter}); requests with a bearer token need neither, as no browser adds
 * one by itself. Import it into {@code @WebMvcTest} slices together with {@code
 * pipewright.security.admin-token=...}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfiguration {

  @Bean
  AdminToken adminToken(SecurityProperties properties) {
    return AdminToken.resolve(properties, new SecureRandom());
  }

  @Bean
  AdminTokenAnnouncer adminTokenAnnouncer(AdminToken adminToken, Environment environment) {
    return new AdminTokenAnnouncer(adminToken, environment);
  }

  @Bean
  PersonTokens personTokens(AdminToken adminToken, SecurityProperties properties) {
    return new PersonTokens(adminToken, properties.tokens());
  }

  @Bean
  DashboardSessions dashboardSessions(
      AdminToken adminToken,
      PersonTokens tokens,
      SecurityProperties properties,
      ObjectProvider<Clock> clock) {
    return new DashboardSessions(
        adminToken, tokens, properties.sessionLifetime(), clock.getIfAvailable(Clock::systemUTC));
  }

  /** A bean, so Spring Boot does not also set up a default user with a generated password. */
  @Bean
  PersonTokenAuthenticationProvider personTokenAuthenticationProvider(PersonTokens tokens) {
    return new PersonTokenAuthenticationProvider(tokens);
  }

  /** Every bearer token, people's and workers'. */
  private static ProviderManager tokens(
      PersonTokenAuthenticationProvider people, ObjectProvider<WorkerCredentials> workers) {
    List<AuthenticationProvider> providers = new ArrayList<>(List.of(people));
    workers.ifAvailable(w -> providers.add(new WorkerTokenAuthenticationProvider(w)));
    return new ProviderManager(providers);
  }

  /** Who may open the lock channel's local socket: the same tokens as its WebSocket. */
  @Bean
  LockSocketAdmission lockSocketAdmission(
      PersonTokenAuthenticationProvider people, ObjectProvider<WorkerCredentials> workers) {
    return new LockSocketTokens(tokens(people, workers));
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http,
      PersonTokenAuthenticationProvider provider,
      DashboardSessions sessions,
      ObjectProvider<WorkerCredentials> workers,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
    var handlers = new ProblemAuthenticationHandlers(problems);
    var bearer = new AuthenticationFilter(tokens(provider, workers), new BearerTokens());
    bearer.setSuccessHandler((request, response, authentication) -> {});
    bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(handlers));

    http.csrf(csrf ->
            csrf.csrfTokenRepository(csrfCookie())
                .requireCsrfProtectionMatcher(SecurityConfiguration::fromTheDashboard)
                // Session management would take every request signed in by cookie for a fresh
                // login and replace the CSRF token mid-page, refusing the forms it had rendered.
                .sessionAuthenticationStrategy(new NullAuthenticatedSessionStrategy()))
        .headers(headers ->
            headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(bearer, UsernamePasswordAuthenticationFilter.class)
        .addFilterAfter(new SessionCookieFilter(sessions), AuthenticationFilter.class)
        .addFilterBefore(new SameOriginFilter(handlers), CsrfFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
        .authorizeHttpRequests(requests -> {
          // Error and async dispatches (the end of a log stream) belong to a request that was
          // already checked.
          requests.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
          requests.requestMatchers(EndpointRequest.to("health")).permitAll();
          requests.requestMatchers(EndpointRequest.to("info")).hasRole(Role.VIEWER.name());
          for (AccessRules.Rule rule : AccessRules.RULES) {
            String[] patterns = rule.patterns().toArray(String[]::new);
            var matched =
                rule.method() == null
                    ? requests.requestMatchers(patterns)
                    : requests.requestMatchers(rule.method(), patterns);
            if (rule.access().open()) {
              matched.permitAll();
            } else {
              matched.hasAnyRole(rule.access().roles().toArray(String[]::new));
            }
          }
          // The rest of the actuator, and anything not named above.
          requests.anyRequest().hasRole(Role.ADMIN.name());
        });
    return http.build();
  }

  /**
   * Pages may load only the service's own scripts, styles and images: no inline script runs even if
   * some text were ever rendered as markup.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  /**
   * Requests that change something and come from a browser signed in to the dashboard (or signing
   * in or out): the ones another site could forge, since the browser adds the cookie by itself.
   */
  static boolean fromTheDashboard(HttpServletRequest request) {
    if (SAFE_METHODS.contains(request.getMethod()) || BearerTokens.presented(request)) {
      return false;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return DashboardSessions.presented(request)
        || path.equals("/signin")
        || path.equals("/signout");
  }

  /** The CSRF token in its own cookie, compared with the one in the form: no server session. */
  private static CookieCsrfTokenRepository csrfCookie() {
    var repository = new CookieCsrfTokenRepository();
    repository.setCookieName("pipewright_csrf");
    repository.setCookieCustomizer(cookie -> cookie.sameSite("Lax").httpOnly(true));
    return repository;
  }
}
