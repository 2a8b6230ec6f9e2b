/**
 * Who may call the service: tokens for people (the admin token, generated on first start, and named
 * tokens with a role), worker and job tokens, the dashboard's signed session cookie, and the one
 * table of which role each route needs. Uses Spring Security and the web capability's problem
 * rendering; owns no data.
 */
@NullMarked
package org.pipewright.security;

import org.jspecify.annotations.NullMarked;
