/**
 * Who may call the service: bearer tokens checked on every request except {@code /actuator/health},
 * and the admin token generated on first start. Uses Spring Security and the web capability's
 * problem rendering; owns no data.
 */
@NullMarked
package org.pipewright.security;

import org.jspecify.annotations.NullMarked;
