package org.pipewright.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.pipewright.security.DashboardSessions;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Signing in with the token, once: by the form, or by the address the service prints on its first
 * start ({@code /signin?token=...}), which it then takes out of the address bar and the history.
 */
@Controller
class SignInPages {

  private final DashboardSessions sessions;

  SignInPages(DashboardSessions sessions) {
    this.sessions = sessions;
  }

  @GetMapping("/signin")
  Object form(
      @RequestParam(required = false) @Nullable String token,
      @RequestParam(required = false) @Nullable String next,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    if (token != null) {
      return signIn(token, next, request, response, model);
    }
    model.addAttribute("next", safe(next));
    return "signin";
  }

  @PostMapping("/signin")
  Object signIn(
      @RequestParam(defaultValue = "") String token,
      @RequestParam(required = false) @Nullable String next,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<ResponseCookie> cookie = sessions.signIn(token, request.isSecure());
    if (cookie.isEmpty()) {
      response.setStatus(HttpStatus.UNAUTHORIZED.value());
      model.addAttribute("next", safe(next));
      model.addAttribute("error", "That token is not valid.");
      return "signin";
    }
    response.addHeader(HttpHeaders.SET_COOKIE, cookie.get().toString());
    return redirect(safe(next));
  }

  @PostMapping("/signout")
  String signOut(HttpServletRequest request, HttpServletResponse response) {
    response.addHeader(HttpHeaders.SET_COOKIE, sessions.signOut(request.isSecure()).toString());
    return "redirect:/signin";
  }

  /** The address as given: braces in it are text, not a template to fill in. */
  private static RedirectView redirect(String path) {
    RedirectView view = new RedirectView(path, true);
    view.setExpandUriTemplateVariables(false);
    return view;
  }

  /** Only a path of this service: never another site, so a link cannot send a user elsewhere. */
  static String safe(@Nullable String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.startsWith("/signin")
        || next.chars().anyMatch(Character::isISOControl)) {
      return "/";
    }
    return next;
  }
}
