package org.pipewright.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.pipewright.pipeline.Action;

/**
 * The checksums Ruffus keeps in its history, computed the same way when a job completes and when a
 * plan compares against them.
 */
public final class JobDigests {

  private JobDigests() {}

  /** Level 2: the task's command or class. */
  public static String action(Action action) {
    return sha256(action.fingerprint());
  }

  /** Level 3: the job's inputs, outputs and extras. */
  public static String params(List<String> inputs, List<String> outputs, List<String> extras) {
    StringBuilder text = new StringBuilder();
    for (List<String> part : List.of(inputs, outputs, extras)) {
      for (String value : part) {
        // Length-prefixed so that ["ab"] and ["a", "b"] differ.
        text.append(value.length()).append(':').append(value);
      }
      text.append('|');
    }
    return sha256(text.toString());
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
