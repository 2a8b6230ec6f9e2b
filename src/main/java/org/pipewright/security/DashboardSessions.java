package org.pipewright.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseCookie;
import org.springframework.security.core.Authentication;

/**
 * The dashboard's sign-in: a token typed in once becomes a cookie that the browser sends with every
 * page, every fetch and every event stream (an {@code EventSource} cannot send headers).
 *
 * <p>The cookie holds no token: only who it stands for and their role, when it expires, and an HMAC
 * of all three keyed by a value derived from the admin token. It survives a restart of the service,
 * ends by itself, stops working everywhere when the admin token changes, and for one person when
 * their named token is removed or given another role. It is {@code HttpOnly} (scripts never read
 * it) and {@code SameSite=Lax} (other sites' forms never send it); forms that change something
 * carry a CSRF token and must come from this origin as well.
 */
public final class DashboardSessions {

  /** The cookie's name. */
  public static final String COOKIE = "pipewright_session";

  private static final String MAC = "HmacSHA256";
  private static final Base64.Encoder NAMES = Base64.getUrlEncoder().withoutPadding();

  private final PersonTokens tokens;
  private final byte[] key;
  private final Duration lifetime;
  private final Clock clock;

  DashboardSessions(AdminToken adminToken, PersonTokens tokens, Duration lifetime, Clock clock) {
    this.tokens = tokens;
    this.key = adminToken.derivedKey("pipewright dashboard session");
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** The session cookie for a token that is valid, or nothing. */
  public Optional<ResponseCookie> signIn(String token, boolean secure) {
    return tokens
        .find(token.strip())
        .map(caller -> {
          long expires = clock.instant().plus(lifetime).getEpochSecond();
          String payload =
              NAMES.encodeToString(caller.name().getBytes(StandardCharsets.UTF_8))
                  + "."
                  + caller.role()
                  + "."
                  + expires;
          return cookie(payload + "." + sign(payload), lifetime, secure);
        });
  }

  /** A cookie that replaces the session cookie with one the browser drops at once. */
  public ResponseCookie signOut(boolean secure) {
    return cookie("", Duration.ZERO, secure);
  }

  /** Whether the request carries a session cookie, valid or not. */
  static boolean presented(HttpServletRequest request) {
    return value(request) != null;
  }

  /** Who the request's session cookie stands for, when it is genuine and not expired. */
  Optional<Authentication> authenticate(HttpServletRequest request) {
    String value = value(request);
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    String payload = parts[0] + "." + parts[1] + "." + parts[2];
    byte[] expected = sign(payload).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    // Signed by this service: what it says was written here, so it parses.
    String name = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    Role role = Role.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT));
    if (!clock.instant().isBefore(Instant.ofEpochSecond(Long.parseLong(parts[2])))) {
      return Optional.empty();
    }
    return tokens.current(name, role).map(PersonTokens.Caller::authentication);
  }

  private static @Nullable String value(HttpServletRequest request) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie cookie : cookies) {
      if (COOKIE.equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
        return cookie.getValue();
      }
    }
    return null;
  }

  private static ResponseCookie cookie(String value, Duration maxAge, boolean secure) {
    return ResponseCookie.from(COOKIE, value)
        .httpOnly(true)
        .sameSite("Lax")
        .secure(secure)
        .path("/")
        .maxAge(maxAge)
        .build();
  }

  private String sign(String payload) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(new SecretKeySpec(key, MAC));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every JVM has " + MAC, e);
    }
  }
}
