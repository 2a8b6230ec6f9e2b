package org.pipewright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pipewright.pipeline.Resources;
import org.pipewright.worker.WorkerRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard over HTTP, as a browser meets it: sign-in and its cookie, CSRF on every form, pages
 * that render what the API holds, and log text that stays text. No workers run here, so a run's
 * jobs wait in the queue; the browser test runs real ones.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:dashboard-pages;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=test-token",
      "pipewright.workers.launcher=none",
      "pipewright.security.tokens[0].name=vera",
      "pipewright.security.tokens[0].role=viewer",
      // printf %s viewer-token | sha256sum
      "pipewright.security.tokens[0].sha256=d036bd6d01a1cae081d39a2f8dab751dc042de814fd60df31fcb553170950f29"
    })
class DashboardPagesTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> folder.resolve("workspace").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("logs/shared.log").toString());
  }

  @LocalServerPort int port;
  @Autowired WorkerRegistry registry;

  SignedInClient browser;

  @BeforeEach
  void browser() {
    browser = new SignedInClient(port);
  }

  HttpResponse<String> api(String method, String path, String type, String body) throws Exception {
    return SignedInClient.api(port, "test-token", method, path, type, body);
  }

  /** A pipeline of three shell jobs and a run of it that waits, as no worker runs here. */
  long queuedRun(String name) throws Exception {
    String yaml =
        """
        name: %s
        tasks:
          - name: make
            originate: {output: [a.txt, b.txt, c.txt]}
            shell: "echo x > {output}"
          - name: count
            transform: {input: make, filter: {suffix: .txt}, output: .n}
            shell: "wc -c < {input} > {output}"
        """
            .formatted(name);
    assertThat(api("POST", "/api/pipelines", "application/yaml", yaml).statusCode()).isIn(200, 201);
    var started = api("POST", "/api/runs", "application/json", "{\"pipeline\":\"" + name + "\"}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    return JSON.readTree(started.body()).get("id").asLong();
  }

  @Test
  void aPageAskedForWithoutSigningInSendsTheBrowserToSignInAndBack() throws Exception {
    HttpResponse<String> page = browser.get("/runs/5?task=make");

    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/signin?next=%2Fruns%2F5%3Ftask%3Dmake"));
  }

  @Test
  void theApiWithoutATokenStillAnswersAProblemNotARedirect() throws Exception {
    HttpResponse<String> answer = browser.get("/api/runs", Map.of("Accept", "application/json"));

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void aWrongTokenShowsTheFormAgainAndSetsNoSession() throws Exception {
    String form = browser.get("/signin").body();
    HttpResponse<String> answer =
        browser.postForm("/signin", Map.of("token", "guess", "_csrf", SignedInClient.csrf(form)));

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains("That token is not valid");
    assertThat(browser.hasSession()).isFalse();
  }

  @Test
  void signingInSetsAnHttpOnlySameSiteCookieThatOpensThePages() throws Exception {
    String form = browser.get("/signin?next=/logs").body();
    HttpResponse<String> answer =
        browser.postForm(
            "/signin",
            Map.of("token", "test-token", "next", "/logs", "_csrf", SignedInClient.csrf(form)));

    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/logs"));
    assertThat(answer.headers().allValues("Set-Cookie"))
        .anySatisfy(c ->
            assertThat(c)
                .startsWith("pipewright_session=")
                .contains("HttpOnly", "SameSite=Lax")
                .doesNotContain("test-token"));
    assertThat(browser.get("/").statusCode()).isEqualTo(200);
  }

  @Test
  void aSignInFormSentWithoutItsCsrfTokenIsRefused() throws Exception {
    HttpResponse<String> answer = browser.postForm("/signin", Map.of("token", "test-token"));

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(browser.hasSession()).isFalse();
  }

  @Test
  void theAddressPrintedAtFirstStartSignsInAndTakesTheTokenOutOfTheAddressBar() throws Exception {
    HttpResponse<String> answer = browser.get("/signin?token=test-token&next=/pipelines");

    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/pipelines").doesNotContain("token"));
    assertThat(browser.hasSession()).isTrue();
  }

  @Test
  void afterSigningInTheBrowserIsNeverSentToAnotherSite() throws Exception {
    for (String next :
        new String[] {"//evil.example/x", "https://evil.example", "/\\evil.example"}) {
      HttpResponse<String> answer =
          new SignedInClient(port)
              .get("/signin?token=test-token&next=" + java.net.URLEncoder.encode(next, "UTF-8"));
      assertThat(answer.headers().firstValue("Location"))
          .as(next)
          .hasValueSatisfying(l -> assertThat(URI.create(l).getPath()).isEqualTo("/"));
      assertThat(URI.create(answer.headers().firstValue("Location").orElseThrow()).getHost())
          .isIn(null, "127.0.0.1", "localhost");
    }
  }

  @Test
  void cancellingFromTheDashboardNeedsTheFormsCsrfToken() throws Exception {
    long run = queuedRun("cancel-me");
    browser.signIn("test-token");

    HttpResponse<String> forged = browser.postForm("/runs/" + run + "/cancel", Map.of());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("reload it");
    assertThat(state(run)).isIn("QUEUED", "RUNNING");

    String page = browser.get("/runs/" + run).body();
    HttpResponse<String> cancelled =
        browser.postForm("/runs/" + run + "/cancel", Map.of("_csrf", SignedInClient.csrf(page)));
    assertThat(cancelled.statusCode()).isEqualTo(302);
    assertThat(state(run)).isEqualTo("CANCELLED");
  }

  @Test
  void aFormStillWorksAfterOtherPagesWereOpenedMeanwhile() throws Exception {
    long run = queuedRun("two-tabs");
    browser.signIn("test-token");
    String runPage = browser.get("/runs/" + run).body();

    browser.get("/");
    browser.get("/logs");
    HttpResponse<String> cancelled =
        browser.postForm("/runs/" + run + "/cancel", Map.of("_csrf", SignedInClient.csrf(runPage)));

    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(302);
  }

  @Test
  void aFormSentFromAnotherSiteIsRefusedEvenWithAMatchingCsrfToken() throws Exception {
    long run = queuedRun("other-site");
    browser.signIn("test-token");
    // Another application on this host can plant a CSRF cookie of its choosing and post a form
    // holding the same token; what it cannot change is what the browser says about the origin.
    String token = SignedInClient.csrf(browser.get("/runs/" + run).body());

    for (Map<String, String> from :
        List.of(
            Map.of("Origin", "http://127.0.0.1:1"),
            Map.of("Sec-Fetch-Site", "same-site"),
            Map.of("Sec-Fetch-Site", "cross-site", "Origin", "http://evil.example"))) {
      HttpResponse<String> answer =
          browser.postForm("/runs/" + run + "/cancel", Map.of("_csrf", token), from);
      assertThat(answer.statusCode()).as(from.toString()).isEqualTo(403);
    }
    assertThat(state(run)).isIn("QUEUED", "RUNNING");

    HttpResponse<String> own =
        browser.postForm(
            "/runs/" + run + "/cancel",
            Map.of("_csrf", token),
            Map.of("Origin", "http://127.0.0.1:" + port, "Sec-Fetch-Site", "same-origin"));
    assertThat(own.statusCode()).isEqualTo(302);
  }

  @Test
  void aFormSentAfterTheSignInRanOutLeadsToTheSignInPage() throws Exception {
    long run = queuedRun("ran-out");
    String token = SignedInClient.csrf(browser.get("/signin").body());
    browser
        .cookies
        .getCookieStore()
        .add(URI.create("http://127.0.0.1:" + port), session("admin.1.forged"));

    HttpResponse<String> answer =
        browser.postForm("/runs/" + run + "/cancel", Map.of("_csrf", token));

    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/signin"));
    assertThat(state(run)).isIn("QUEUED", "RUNNING");
  }

  static java.net.HttpCookie session(String value) {
    var cookie = new java.net.HttpCookie("pipewright_session", value);
    cookie.setPath("/");
    cookie.setVersion(0);
    return cookie;
  }

  @Test
  void braceInAnAddressIsTextNotATemplate() throws Exception {
    HttpResponse<String> signIn = browser.get("/signin?token=test-token&next=/logs%3Fq%3D%7Bx%7D");
    assertThat(signIn.statusCode()).isEqualTo(302);
    assertThat(signIn.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).contains("/logs"));

    String page = browser.get("/logs?q=%7B%22a%22%3A1%7D").body();
    assertThat(page)
        .contains("data-stream=\"/api/logs/stream?after=")
        .contains("q=%7B%22a%22:1%7D");
  }

  @Test
  void aStartFormWithoutItsVersionIsABadRequestPage() throws Exception {
    queuedRun("no-version");
    browser.signIn("test-token");
    String token = SignedInClient.csrf(browser.get("/pipelines/no-version").body());

    HttpResponse<String> answer =
        browser.postForm("/pipelines/no-version/runs", Map.of("_csrf", token));

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("version");
  }

  @Test
  void aViewerSeesARunWithoutItsButtonsAndCannotUseThemAnyway() throws Exception {
    long run = queuedRun("viewed");
    browser.signIn("viewer-token");

    String page = browser.get("/runs/" + run).body();
    assertThat(page).contains("vera", "Run #" + run).doesNotContain("id=\"cancel\"");
    assertThat(browser.get("/pipelines/viewed").body()).doesNotContain("id=\"start-run\"");

    HttpResponse<String> cancel =
        browser.postForm("/runs/" + run + "/cancel", Map.of("_csrf", SignedInClient.csrf(page)));
    assertThat(cancel.statusCode()).isEqualTo(403);
    assertThat(state(run)).isIn("QUEUED", "RUNNING");
  }

  String state(long run) throws Exception {
    return JSON.readTree(api("GET", "/api/runs/" + run, null, null).body()).get("state").asString();
  }

  @Test
  void aRunPageShowsItsTasksAndAPageOfItsJobs() throws Exception {
    long run = queuedRun("three-jobs");
    browser.signIn("test-token");

    String page = browser.get("/runs/" + run).body();

    assertThat(page)
        .contains("Run #" + run, "three-jobs", "data-task=\"make\"", "data-task=\"count\"");
    assertThat(page.split("data-job=\"", -1)).hasSize(7);
    String filtered = browser.get("/runs/" + run + "?task=make&state=QUEUED").body();
    assertThat(filtered.split("data-job=\"", -1)).hasSize(4);
    String none = browser.get("/runs/" + run + "?task=count&state=SUCCEEDED").body();
    assertThat(none).contains("No jobs match.");
  }

  @Test
  void theLivePartOfAPageCanBeAskedForAlone() throws Exception {
    long run = queuedRun("live-part");
    browser.signIn("test-token");

    String part = browser.get("/runs/" + run, Map.of("X-Pipewright-Fragment", "live")).body();

    assertThat(part).startsWith("<div id=\"live\"").doesNotContain("<html", "<head");
    assertThat(part).contains("data-live=\"on\"");
  }

  @Test
  void aRunThatDoesNotExistIsAPageThatSaysSo() throws Exception {
    browser.signIn("test-token");

    HttpResponse<String> page = browser.get("/runs/987654");

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("987654");
  }

  @Test
  void logTextIsShownAsTextNeverAsMarkup() throws Exception {
    String hostile = "<script>alert('x')</script><img src=x onerror=alert(1)> & done";
    var appended =
        api(
            "POST",
            "/api/log",
            "application/json",
            JSON.writeValueAsString(
                Map.of(
                    "records",
                    java.util.List.of(
                        Map.of("level", "INFO", "source", "hostile", "message", hostile)))));
    assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);
    browser.signIn("test-token");

    String page = browser.get("/logs?q=onerror").body();

    assertThat(page)
        .contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; done")
        .doesNotContain("<script>alert", "<img src=x");
  }

  @Test
  void everyPageForbidsInlineScriptAndFraming() throws Exception {
    HttpResponse<String> page = browser.get("/signin");

    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void aRunStartedFromAPipelinesPageOpensItsPage() throws Exception {
    queuedRun("start-me");
    api("POST", "/api/runs/" + latestRun("start-me") + "/cancel", null, null);
    browser.signIn("test-token");

    String page = browser.get("/pipelines/start-me").body();
    assertThat(page).contains("would run", "make", "count");
    HttpResponse<String> started =
        browser.postForm(
            "/pipelines/start-me/runs",
            Map.of("version", "1", "keepGoing", "true", "_csrf", SignedInClient.csrf(page)));

    assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
    long run = latestRun("start-me");
    assertThat(started.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/runs/" + run));
    assertThat(
            JSON.readTree(api("GET", "/api/runs/" + run, null, null).body())
                .at("/request/keepGoing")
                .asBoolean())
        .isTrue();
  }

  long latestRun(String pipeline) throws Exception {
    return JSON.readTree(api("GET", "/api/runs?pipeline=" + pipeline, null, null).body())
        .get(0)
        .get("id")
        .asLong();
  }

  @Test
  void thePipelinesAndLogPagesRender() throws Exception {
    queuedRun("listed");
    browser.signIn("test-token");

    assertThat(browser.get("/pipelines").body()).contains("data-pipeline=\"listed\"");
    assertThat(browser.get("/").body()).contains("listed");
    assertThat(browser.get("/logs").statusCode()).isEqualTo(200);
  }

  @Test
  void signingOutEndsTheSession() throws Exception {
    browser.signIn("test-token");
    String page = browser.get("/").body();

    HttpResponse<String> out =
        browser.postForm("/signout", Map.of("_csrf", SignedInClient.csrf(page)));

    assertThat(out.statusCode()).isEqualTo(302);
    assertThat(browser.hasSession()).isFalse();
    assertThat(browser.get("/").statusCode()).isEqualTo(302);
  }

  @Test
  void theWorkersPageShowsEachWorkersSlurmJobAndWhatItOffers() throws Exception {
    WorkerRegistry.Launch launch = registry.launch("slurm");
    registry.submitted(launch.id(), "98765");
    registry.register(launch.id(), "node7", 4242L, new Resources(2, 4096));
    browser.signIn("test-token");

    String page = browser.get("/workers").body();

    assertThat(page)
        .contains("id=\"worker-" + launch.id() + "\"", "98765", "node7", "2 cpus, 4096 MB");
  }
}
