package org.pipewright.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard in a real headless Chromium against the service with two real worker JVMs: a user
 * signs in, starts the shared-log example, watches it reach 100%, sees its log lines arrive live,
 * opens a job, filters the log and cancels a long run. Screenshots of each page land in {@code
 * target/screenshots/} for a reader to look at.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.datasource.url=jdbc:h2:mem:dashboard-browser;DB_CLOSE_DELAY=-1",
      "pipewright.security.admin-token=browser-token",
      "pipewright.workers.count=2",
      "pipewright.workers.heartbeat=200ms",
      "pipewright.workers.lease=3s",
      "pipewright.workers.restart-backoff=100ms"
    })
class DashboardBrowserTests {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path workspace;
  @TempDir static Path folder;

  @DynamicPropertySource
  static void folders(DynamicPropertyRegistry registry) {
    registry.add("pipewright.workspace.root", () -> workspace.toString());
    registry.add("pipewright.workers.directory", () -> folder.resolve("workers").toString());
    registry.add("pipewright.shared-log.file", () -> folder.resolve("logs/shared.log").toString());
  }

  static ChromeDriver browser;

  @LocalServerPort int port;

  @BeforeAll
  static void startBrowser() {
    browser = Chromium.start();
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  HttpResponse<String> api(String method, String path, String type, String body) throws Exception {
    return SignedInClient.api(port, "browser-token", method, path, type, body);
  }

  JsonNode apiJson(String path) throws Exception {
    return JSON.readTree(api("GET", path, null, null).body());
  }

  WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  void signIn() {
    browser.get(url("/"));
    if (browser.getCurrentUrl().contains("/signin")) {
      browser.findElement(By.id("token")).sendKeys("browser-token");
      browser.findElement(By.id("signin")).click();
      waitUpTo(10).until(ExpectedConditions.not(ExpectedConditions.urlContains("/signin")));
    }
  }

  @Test
  void aUserStartsTheExampleFollowsItsLogOpensAJobAndFiltersTheLog() throws Exception {
    api(
        "POST",
        "/api/pipelines",
        "application/yaml",
        Files.readString(Path.of("examples/shared-log.yaml")));

    // Sign in: the first page sends the browser to the form, and back once the token is right.
    browser.manage().deleteAllCookies();
    browser.get(url("/"));
    waitUpTo(10).until(ExpectedConditions.urlContains("/signin"));
    browser.findElement(By.id("token")).sendKeys("not-the-token");
    browser.findElement(By.id("signin")).click();
    assertThat(browser.findElement(By.id("signin-error")).getText()).contains("not valid");
    browser.findElement(By.id("token")).sendKeys("browser-token");
    Chromium.screenshot(browser, "01-sign-in");
    browser.findElement(By.id("signin")).click();
    waitUpTo(10).until(ExpectedConditions.titleContains("Runs"));
    assertThat(browser.manage().getCookieNamed("pipewright_session").isHttpOnly()).isTrue();

    // The log, open before the run starts: its lines must come to this page by themselves.
    String logTab = browser.getWindowHandle();
    browser.get(url("/logs"));
    waitUpTo(10)
        .until(ExpectedConditions.textToBe(By.cssSelector("#log-status .text"), "following live"));
    browser.executeScript("window.pipewrightNotReloaded = true;");

    // The pipeline's page: its plan with reasons and its graph; start a run from it.
    browser.switchTo().newWindow(WindowType.TAB);
    browser.get(url("/pipelines"));
    browser.findElement(By.linkText("shared-log")).click();
    waitUpTo(10).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".graph svg")));
    assertThat(browser.findElement(By.cssSelector("table.plan")).getText())
        .contains("task1", "will run");
    Chromium.screenshot(browser, "02-pipeline");
    browser.findElement(By.id("start-run")).click();
    waitUpTo(10).until(ExpectedConditions.urlMatches("/runs/\\d+$"));
    long run = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/runs/", ""));

    // Progress reaches 100% on the page without a reload.
    browser.executeScript("window.pipewrightNotReloaded = true;");
    waitUpTo(120).until(ExpectedConditions.textToBe(By.id("percent"), "100%"));
    waitUpTo(10).until(ExpectedConditions.textToBe(By.cssSelector("#live .state"), "succeeded"));
    assertThat(browser.executeScript("return window.pipewrightNotReloaded === true;"))
        .isEqualTo(true);
    assertThat(apiJson("/api/runs/" + run).get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(browser.findElements(By.cssSelector(".graph g.task.succeeded"))).hasSize(4);
    Chromium.screenshot(browser, "03-run-succeeded");

    // The runs list shows it, finished.
    browser.get(url("/"));
    assertThat(browser.findElement(By.cssSelector("tr[data-run='" + run + "']")).getText())
        .contains("shared-log", "succeeded", "100%", "48");
    Chromium.screenshot(browser, "04-runs");

    // Back on the log tab: every job's two lines arrived live, 96 of them, still the same page.
    browser.close();
    browser.switchTo().window(logTab);
    waitUpTo(30)
        .until(d ->
            d.findElements(By.xpath("//div[@id='log']/div[contains(., 'process name = ')]")).size()
                == 48);
    assertThat(browser.executeScript("return window.pipewrightNotReloaded === true;"))
        .isEqualTo(true);
    assertThat(browser.findElements(By.xpath("//div[@id='log']/div[contains(., 'job = [')]")))
        .hasSize(48);
    Chromium.screenshot(browser, "05-log-live");

    // Filter the log by text: only that job's lines are left, each linked to its job.
    WebElement q = browser.findElement(By.name("q"));
    q.sendKeys("[[\"c.3\"], [\"c.4\"]]");
    browser.findElement(By.cssSelector("#log-filters button[type=submit]")).click();
    waitUpTo(10).until(ExpectedConditions.urlContains("q="));
    List<WebElement> lines = browser.findElements(By.cssSelector("#log .line"));
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst().getText()).contains("job = [[\"c.3\"], [\"c.4\"]]");
    Chromium.screenshot(browser, "06-log-filtered");

    // Open the job the line came from: what it ran, its attempt, outputs and log.
    lines.getFirst().findElement(By.cssSelector(".source a")).click();
    waitUpTo(10).until(ExpectedConditions.urlMatches("/jobs/\\d+$"));
    assertThat(browser.findElement(By.tagName("h1")).getText()).contains("task4:", "run #" + run);
    assertThat(browser.findElement(By.id("outputs")).getText()).isEqualTo("c.4");
    assertThat(browser.findElement(By.cssSelector("table.attempts")).getText())
        .contains("succeeded");
    assertThat(browser.findElements(By.cssSelector("#log .line"))).hasSize(2);
    Chromium.screenshot(browser, "07-job");

    // A phone's width: the same run page, still readable.
    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(url("/runs/" + run));
    Chromium.screenshot(browser, "08-run-on-a-phone");
    browser.manage().window().setSize(new Dimension(1366, 900));
  }

  @Test
  void aLongRunIsCancelledFromItsPageAndLeavesNoProcessBehind() throws Exception {
    signIn();
    api(
        "POST",
        "/api/pipelines",
        "application/yaml",
        """
        name: long-run
        tasks:
          - name: wait
            originate: {output: [a, b, c, d]}
            shell: "sleep 93 && touch {output}"
        """);
    browser.get(url("/pipelines/long-run"));
    browser.findElement(By.id("start-run")).click();
    try {
      waitUpTo(10).until(ExpectedConditions.urlMatches("/runs/\\d+$"));
    } catch (RuntimeException e) {
      throw new AssertionError(browser.getPageSource(), e);
    }
    long run = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/runs/", ""));
    waitUpTo(30).until(d -> d.findElements(By.cssSelector("a.state.running")).size() == 1);
    assertThat(sleepers()).isPositive();
    Chromium.screenshot(browser, "09-long-run");

    browser.findElement(By.id("cancel")).click();
    waitUpTo(5).until(ExpectedConditions.alertIsPresent()).accept();
    waitUpTo(30).until(ExpectedConditions.textToBe(By.cssSelector("#live .state"), "cancelled"));
    Chromium.screenshot(browser, "10-run-cancelled");

    assertThat(apiJson("/api/runs/" + run).get("state").asString()).isEqualTo("CANCELLED");
    waitUpTo(30).until(d -> sleepers() == 0);
  }

  @Test
  void logLinesHoldingMarkupArriveLiveAsTextAndRunNothing() throws Exception {
    signIn();
    browser.get(url("/logs?q=hostile-marker"));
    waitUpTo(10)
        .until(ExpectedConditions.textToBe(By.cssSelector("#log-status .text"), "following live"));
    String hostile =
        "hostile-marker <img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";

    var appended =
        api(
            "POST",
            "/api/log",
            "application/json",
            JSON.writeValueAsString(
                Map.of(
                    "records",
                    List.of(Map.of("level", "WARN", "source", "hostile", "message", hostile)))));
    assertThat(appended.statusCode()).as(appended.body()).isEqualTo(200);

    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#log .line")).size() == 1);
    assertThat(browser.findElement(By.cssSelector("#log .line .msg")).getText()).isEqualTo(hostile);
    assertThat(browser.findElements(By.cssSelector("#log img, #log script"))).isEmpty();
    browser.navigate().refresh();
    assertThat(browser.findElement(By.cssSelector("#log .line .msg")).getText()).isEqualTo(hostile);
    assertThat(browser.findElements(By.cssSelector("#log img, #log script"))).isEmpty();
    assertThat(browser.executeScript("return window.pwned === undefined;")).isEqualTo(true);
  }

  /** Processes of the long run's shell jobs still alive on this machine. */
  static long sleepers() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep 93"))
        .count();
  }
}
