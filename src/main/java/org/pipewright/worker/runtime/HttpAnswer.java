package org.pipewright.worker.runtime;

/** An HTTP answer: its status and its body as text. */
record HttpAnswer(int status, String body) {

  boolean ok() {
    return status >= 200 && status < 300;
  }

  @Override
  public String toString() {
    return "HTTP " + status;
  }
}
