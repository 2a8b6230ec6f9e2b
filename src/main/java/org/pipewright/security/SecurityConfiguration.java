package org.pipewright.security;

import jakarta.servlet.DispatcherType;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Every request needs the admin bearer token except {@code /actuator/health}. Stateless: no
 * session, no CSRF token (no cookies are ever trusted), no login form. Import it into
 * {@code @WebMvcTest} slices together with {@code pipewright.security.admin-token=...}.
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

  /** A bean, so Spring Boot does not also set up a default user with a generated password. */
  @Bean
  AdminTokenAuthenticationProvider adminTokenAuthenticationProvider(AdminToken adminToken) {
    return new AdminTokenAuthenticationProvider(adminToken);
  }

  @Bean
  SecurityFilterChain apiSecurity(
      HttpSecurity http,
      AdminTokenAuthenticationProvider provider,
      ObjectProvider<WorkerCredentials> workers,
      @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
    var handlers = new ProblemAuthenticationHandlers(problems);
    List<AuthenticationProvider> providers = new ArrayList<>(List.of(provider));
    workers.ifAvailable(w -> providers.add(new WorkerTokenAuthenticationProvider(w)));
    var bearer = new AuthenticationFilter(new ProviderManager(providers), new BearerTokens());
    bearer.setSuccessHandler((request, response, authentication) -> {});
    bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(handlers));

    http.csrf(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(bearer, UsernamePasswordAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(handlers).accessDeniedHandler(handlers))
        .authorizeHttpRequests(requests ->
            requests
                // Error and async dispatches (the end of a log stream) belong to a request that
                // was already checked.
                .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                .permitAll()
                .requestMatchers(EndpointRequest.to("health"))
                .permitAll()
                // The worker protocol, and nothing else, for worker tokens.
                .requestMatchers(HttpMethod.POST, "/api/workers/register")
                .hasRole(WorkerTokenAuthenticationProvider.LAUNCH_ROLE)
                .requestMatchers(
                    HttpMethod.POST,
                    "/api/workers/*/lease",
                    "/api/workers/*/heartbeat",
                    "/api/workers/*/complete",
                    "/api/jobs/*/complete")
                .hasRole(WorkerTokenAuthenticationProvider.WORKER_ROLE)
                // The shared log and locks: Ruffus's logger proxy and mutex, for jobs and admins.
                .requestMatchers(HttpMethod.POST, "/api/log", "/api/locks/*/*")
                .hasAnyRole(
                    WorkerTokenAuthenticationProvider.WORKER_ROLE,
                    WorkerTokenAuthenticationProvider.JOB_ROLE,
                    AdminTokenAuthenticationProvider.ADMIN_ROLE)
                .anyRequest()
                .hasRole(AdminTokenAuthenticationProvider.ADMIN_ROLE));
    return http.build();
  }
}
