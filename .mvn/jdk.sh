# Sourced by ./mvnw, bench/* and .ci/run: Pipewright needs Java 21 or newer. When JAVA_HOME is
# unset or names an older JDK (Debian 12's default java is 17), use the newest JDK 21+ installed
# under /usr/lib/jvm instead, so the README's commands work on a fresh machine as they are.
pw_java_version() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
pw_jdk_ok() {
  [ -n "$1" ] && [ -x "$1/bin/javac" ] && [ "$(pw_java_version "$1")" -ge 21 ] 2>/dev/null
}
if ! pw_jdk_ok "${JAVA_HOME:-}"; then
  for pw_candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -r); do
    pw_candidate=${pw_candidate%/}
    if pw_jdk_ok "$pw_candidate"; then
      JAVA_HOME=$pw_candidate
      export JAVA_HOME
      break
    fi
  done
fi
