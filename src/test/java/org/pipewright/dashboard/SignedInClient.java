package org.pipewright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Talks to the dashboard as a browser does, without one: keeps cookies, follows no redirect by
 * itself, sends forms with the CSRF token the page holds.
 */
final class SignedInClient {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  final CookieManager cookies = new CookieManager();
  private final HttpClient http;
  private final String base;

  SignedInClient(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(cookies)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  HttpResponse<String> get(String path) throws Exception {
    return get(path, Map.of());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/html");
    headers.forEach(request::header);
    return http.send(request.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
    return postForm(path, fields, Map.of());
  }

  HttpResponse<String> postForm(
      String path, Map<String, String> fields, Map<String, String> headers) throws Exception {
    String body =
        fields.entrySet().stream()
            .map(e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    var request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "text/html")
            .POST(BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), BodyHandlers.ofString());
  }

  /** A call to the API with a bearer token, as a script makes it, beside the browser. */
  static HttpResponse<String> api(
      int port, String token, String method, String path, String type, String body)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    return HttpClient.newHttpClient().send(request.build(), BodyHandlers.ofString());
  }

  /** The CSRF token a page's forms carry. */
  static String csrf(String html) {
    Matcher m = CSRF.matcher(html);
    assertThat(m.find()).as("the page has a form with a CSRF token").isTrue();
    return m.group(1);
  }

  SignedInClient signIn(String token) throws Exception {
    String form = get("/signin").body();
    HttpResponse<String> answer =
        postForm("/signin", Map.of("token", token, "next", "/", "_csrf", csrf(form)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
    return this;
  }

  boolean hasSession() {
    return cookies.getCookieStore().getCookies().stream()
        .map(HttpCookie::getName)
        .anyMatch("pipewright_session"::equals);
  }
}
