package org.pipewright.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.pipewright.security.SecurityConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Every error a client can cause is a problem detail with a stable type and no internals. */
@WebMvcTest(
    controllers = TestEndpoints.class,
    properties = {
      "pipewright.security.admin-token=test-token",
      "pipewright.pipelines.max-body-bytes=1024"
    })
@Import({TestEndpoints.class, SecurityConfiguration.class, WebConfiguration.class})
class ProblemDetailsAdviceTests {

  static final String PROBLEM_JSON = "application/problem+json";

  @Autowired MockMvc mvc;

  static MockHttpServletRequestBuilder authorized(MockHttpServletRequestBuilder request) {
    return request.header(HttpHeaders.AUTHORIZATION, "Bearer test-token");
  }

  @Test
  void pipewrightErrorsCarryTheirTypeStatusAndFieldErrors() throws Exception {
    mvc.perform(authorized(get("/api/test/invalid")))
        .andExpect(status().is(422))
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/invalid-definition"))
        .andExpect(jsonPath("$.title").value("Invalid pipeline definition"))
        .andExpect(jsonPath("$.status").value(422))
        .andExpect(jsonPath("$.detail").value("The definition has 2 problems"))
        .andExpect(jsonPath("$.instance").value("/api/test/invalid"))
        .andExpect(jsonPath("$.errors[0].path").value("tasks[0].name"))
        .andExpect(jsonPath("$.errors[1].message").value("names no task"));
  }

  @Test
  void unexpectedErrorsAre500WithoutInternals() throws Exception {
    String body =
        mvc.perform(authorized(get("/api/test/bug")))
            .andExpect(status().isInternalServerError())
            .andExpect(content().contentType(PROBLEM_JSON))
            .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/internal-error"))
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(body).doesNotContain("secret", "IllegalStateException", "org.pipewright", "at ");
  }

  @Test
  void unknownApiPathIs404Problem() throws Exception {
    mvc.perform(authorized(get("/api/no/such/thing")))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/not-found"))
        .andExpect(jsonPath("$.detail").value("Nothing is at GET /api/no/such/thing"));
  }

  @Test
  void wrongMethodIs405Problem() throws Exception {
    mvc.perform(authorized(post("/api/test/ok")))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(header().string(HttpHeaders.ALLOW, org.hamcrest.Matchers.containsString("GET")))
        .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/method-not-allowed"));
  }

  @Test
  void wrongContentTypeIs415Problem() throws Exception {
    mvc.perform(
            authorized(post("/api/test/json")).contentType(MediaType.TEXT_PLAIN).content("hello"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(
            jsonPath("$.type").value("https://pipewright.org/problems/unsupported-media-type"));
  }

  @Test
  void unacceptableResponseTypeIs406Problem() throws Exception {
    mvc.perform(authorized(get("/api/test/ok")).accept(MediaType.IMAGE_PNG))
        .andExpect(status().isNotAcceptable());
  }

  @Test
  void malformedJsonIs400ProblemWithoutParserDetails() throws Exception {
    String body =
        mvc.perform(
                authorized(post("/api/test/json"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"a\": [1, 2"))
            .andExpect(status().isBadRequest())
            .andExpect(content().contentType(PROBLEM_JSON))
            .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/unreadable-body"))
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(body).doesNotContain("jackson", "Exception", "line:");
  }

  @Test
  void bodyOverTheDeclaredLimitIs413Problem() throws Exception {
    mvc.perform(
            authorized(post("/api/test/bytes"))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(new byte[1025]))
        .andExpect(status().isPayloadTooLarge())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(header().string(HttpHeaders.CONNECTION, "close"))
        .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/payload-too-large"));
  }

  @Test
  void bodyAtTheLimitIsAccepted() throws Exception {
    mvc.perform(
            authorized(post("/api/test/bytes"))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .content(new byte[1024]))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.length").value(1024));
  }

  @Test
  void missingTokenIs401ProblemWithBearerChallenge() throws Exception {
    mvc.perform(get("/api/test/ok"))
        .andExpect(status().isUnauthorized())
        .andExpect(content().contentType(PROBLEM_JSON))
        .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pipewright\""))
        .andExpect(jsonPath("$.type").value("https://pipewright.org/problems/unauthorized"));
  }
}
