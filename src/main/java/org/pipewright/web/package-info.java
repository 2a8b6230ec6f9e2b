/**
 * The HTTP edge shared by every capability: errors as RFC 9457 problem details and the request body
 * limit. Talks to capabilities through their public services, never to {@code store}.
 */
@NullMarked
package org.pipewright.web;

import org.jspecify.annotations.NullMarked;
