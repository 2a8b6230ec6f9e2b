package org.pipewright.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.Cookie;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.SteppedClock;
import org.springframework.http.ResponseCookie;
import org.springframework.mock.web.MockHttpServletRequest;

/** The dashboard's session cookie: what it holds, how long it lasts, and what it refuses. */
class DashboardSessionsTests {

  @TempDir Path dir;

  final SteppedClock clock = new SteppedClock();

  static final String VIEWER_TOKEN = "viewer-token";

  /** The admin token given, and a viewer named vera (unless left out). */
  DashboardSessions sessions(String token, TokenEntry... entries) {
    var properties =
        new SecurityProperties(token, dir.resolve("token"), Duration.ofHours(8), List.of(entries));
    AdminToken admin = AdminToken.resolve(properties, new SecureRandom());
    return new DashboardSessions(
        admin, new PersonTokens(admin, properties.tokens()), properties.sessionLifetime(), clock);
  }

  static TokenEntry vera(Role role) {
    return new TokenEntry(
        "vera", role, HexFormat.of().formatHex(PersonTokens.sha256(VIEWER_TOKEN)));
  }

  static MockHttpServletRequest requestWith(ResponseCookie cookie) {
    var request = new MockHttpServletRequest("GET", "/");
    request.setCookies(new Cookie(cookie.getName(), cookie.getValue()));
    return request;
  }

  @Test
  void aValidTokenGivesAnHttpOnlySameSiteCookieThatHoldsNoToken() {
    ResponseCookie cookie = sessions("s3cret-token").signIn("s3cret-token", true).orElseThrow();

    assertThat(cookie.getName()).isEqualTo(DashboardSessions.COOKIE);
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Lax");
    assertThat(cookie.isSecure()).isTrue();
    assertThat(cookie.getPath()).isEqualTo("/");
    assertThat(cookie.getMaxAge()).isEqualTo(Duration.ofHours(8));
    assertThat(cookie.getValue()).doesNotContain("s3cret-token");
  }

  @Test
  void aWrongTokenGivesNoCookie() {
    assertThat(sessions("s3cret-token").signIn("guess", false)).isEmpty();
  }

  @Test
  void theCookieAuthenticatesAsAdminUntilItExpires() {
    DashboardSessions sessions = sessions("s3cret-token");
    ResponseCookie cookie = sessions.signIn("s3cret-token", false).orElseThrow();

    assertThat(sessions.authenticate(requestWith(cookie)))
        .hasValueSatisfying(a ->
            assertThat(a.getAuthorities())
                .extracting(Object::toString)
                .containsExactlyInAnyOrder("ROLE_VIEWER", "ROLE_OPERATOR", "ROLE_ADMIN"));
    clock.step(Duration.ofHours(8).minusSeconds(1));
    assertThat(sessions.authenticate(requestWith(cookie))).isPresent();
    clock.step(Duration.ofSeconds(1));
    assertThat(sessions.authenticate(requestWith(cookie))).isEmpty();
  }

  @Test
  void aCookieWithAChangedExpiryIsRefused() {
    DashboardSessions sessions = sessions("s3cret-token");
    String value = sessions.signIn("s3cret-token", false).orElseThrow().getValue();
    String[] parts = value.split("\\.");
    long later = Long.parseLong(parts[2]) + 86_400 * 365;
    var forged =
        ResponseCookie.from(
                DashboardSessions.COOKIE, parts[0] + "." + parts[1] + "." + later + "." + parts[3])
            .build();

    assertThat(sessions.authenticate(requestWith(forged))).isEmpty();
  }

  @Test
  void aCookieSignedUnderAnotherAdminTokenIsRefused() {
    ResponseCookie old = sessions("old-token").signIn("old-token", false).orElseThrow();

    assertThat(sessions("new-token").authenticate(requestWith(old))).isEmpty();
  }

  @Test
  void garbageInTheCookieLeavesTheRequestAnonymous() {
    DashboardSessions sessions = sessions("s3cret-token");
    for (String junk :
        new String[] {"x", "admin.1.2.3", "admin.notanumber.sig", "viewer.9999999999.sig", "."}) {
      var cookie = ResponseCookie.from(DashboardSessions.COOKIE, junk).build();
      assertThat(sessions.authenticate(requestWith(cookie))).as(junk).isEmpty();
    }
  }

  @Test
  void aNamedTokenSignsInWithItsRoleOnly() {
    DashboardSessions sessions = sessions("s3cret-token", vera(Role.VIEWER));
    ResponseCookie cookie = sessions.signIn(VIEWER_TOKEN, false).orElseThrow();

    assertThat(sessions.authenticate(requestWith(cookie)))
        .hasValueSatisfying(a -> {
          assertThat(a.getName()).isEqualTo("vera");
          assertThat(a.getAuthorities())
              .extracting(Object::toString)
              .containsExactly("ROLE_VIEWER");
        });
  }

  @Test
  void aSessionEndsWhenItsTokenIsRemovedOrGivenAnotherRole() {
    ResponseCookie cookie =
        sessions("s3cret-token", vera(Role.VIEWER)).signIn(VIEWER_TOKEN, false).orElseThrow();

    assertThat(sessions("s3cret-token").authenticate(requestWith(cookie))).isEmpty();
    assertThat(sessions("s3cret-token", vera(Role.ADMIN)).authenticate(requestWith(cookie)))
        .isEmpty();
  }

  @Test
  void signingOutReplacesTheCookieWithOneThatEndsAtOnce() {
    ResponseCookie out = sessions("s3cret-token").signOut(false);

    assertThat(out.getValue()).isEmpty();
    assertThat(out.getMaxAge()).isEqualTo(Duration.ZERO);
    assertThat(out.isHttpOnly()).isTrue();
  }
}
