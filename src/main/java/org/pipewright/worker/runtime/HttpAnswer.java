package org.pipewright.worker.runtime;

/** An HTTP answer: its status and its body as text. */
record HttpAnswer(int status, String body) {

  boolean ok() {
    return status >= 200 && status < 300;
  }

  /**
   * The slug of a problem detail's {@code type} ({@code lock-not-held} of {@code
   * https://pipewright.org/problems/lock-not-held}), or empty when the body is none.
   */
  String problemType() {
    try {
      if (JsonReader.parseObject(body).get("type") instanceof String type) {
        return type.substring(type.lastIndexOf('/') + 1);
      }
    } catch (JsonException e) {
      // not a problem detail
    }
    return "";
  }

  @Override
  public String toString() {
    return "HTTP " + status;
  }
}
