package org.pipewright.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.AuthenticationException;

/** People's tokens: accepted with their role, anything else left to the next provider. */
class PersonTokenAuthenticationProviderTests {

  @TempDir Path dir;

  PersonTokenAuthenticationProvider provider() {
    var properties =
        new SecurityProperties("admin-token", dir.resolve("token"), Duration.ofHours(8), List.of());
    AdminToken admin = AdminToken.resolve(properties, new SecureRandom());
    return new PersonTokenAuthenticationProvider(new PersonTokens(admin, properties.tokens()));
  }

  @Test
  void theAdminTokenIsAcceptedAsTheAdmin() {
    var accepted =
        provider().authenticate(BearerTokenAuthentication.unauthenticated("admin-token"));

    assertThat(accepted).isNotNull();
    assertThat(accepted.isAuthenticated()).isTrue();
    assertThat(accepted.getName()).isEqualTo(AdminToken.PRINCIPAL);
  }

  @Test
  void aTokenThatIsNoPersonsIsLeftToTheNextProviderWithoutAnException() {
    assertThat(provider().authenticate(BearerTokenAuthentication.unauthenticated("worker-ish")))
        .isNull();
  }

  @Test
  void aTokenNoProviderKnowsIsStillRefused() {
    var manager = new ProviderManager(provider());

    assertThatThrownBy(
            () -> manager.authenticate(BearerTokenAuthentication.unauthenticated("unknown")))
        .isInstanceOf(AuthenticationException.class);
  }
}
