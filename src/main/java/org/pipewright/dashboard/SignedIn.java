package org.pipewright.dashboard;

import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Who is signed in, for every page: their name in the top bar, and whether the buttons that change
 * something (start, cancel, re-run) are shown. The server refuses those to a viewer regardless;
 * hiding them only spares a viewer a button that cannot work.
 */
@ControllerAdvice(
    assignableTypes = {RunPages.class, JobPages.class, LogPages.class, PipelinePages.class})
class SignedIn {

  @ModelAttribute("who")
  @Nullable String who(@Nullable Authentication caller) {
    return caller == null ? null : caller.getName();
  }

  @ModelAttribute("canOperate")
  boolean canOperate(@Nullable Authentication caller) {
    return caller != null
        && caller.getAuthorities().stream().anyMatch(a -> "ROLE_OPERATOR".equals(a.getAuthority()));
  }
}
