package org.pipewright.lock;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * The lock channel at {@code /api/lock-channel}. Its handshake is a GET that the security rules let
 * through for the callers that may take locks; browsers from other origins are refused, as Spring
 * refuses a cross-origin handshake unless told otherwise.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class LockChannelConfiguration implements WebSocketConfigurer {

  static final String PATH = "/api/lock-channel";

  private final LockChannel channel;

  LockChannelConfiguration(LockChannel channel) {
    this.channel = channel;
  }

  @Override
  public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
    registry.addHandler(new LockChannelWebSocket(channel), PATH);
  }
}
