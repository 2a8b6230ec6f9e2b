package org.pipewright.security;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Prints the dashboard URL with a freshly generated admin token, once, when the server is up and
 * its port known. A token that was configured or read from the file is never printed.
 */
class AdminTokenAnnouncer implements ApplicationListener<WebServerInitializedEvent> {

  private static final Logger log = LoggerFactory.getLogger(AdminTokenAnnouncer.class);

  private final AdminToken token;
  private final Environment environment;
  private final AtomicBoolean announced = new AtomicBoolean();

  AdminTokenAnnouncer(AdminToken token, Environment environment) {
    this.token = token;
    this.environment = environment;
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    announce(event.getWebServer().getPort());
  }

  void announce(int port) {
    if (token.source() != AdminToken.Source.GENERATED || !announced.compareAndSet(false, true)) {
      return;
    }
    String address = environment.getProperty("server.address", "127.0.0.1");
    String host = address.isBlank() || address.equals("0.0.0.0") ? "localhost" : address;
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    log.info(
        "Pipewright admin token written to {} (shown only this once); open http://{}:{}/signin?token={}",
        token.file(),
        host,
        port,
        token.value());
  }
}
