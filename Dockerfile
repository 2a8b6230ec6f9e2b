# Multi-stage: build with the Maven wrapper on a JDK, run on a JRE as a non-root user.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src/ src/
RUN ./mvnw -q -B -DskipTests package && cp target/pipewright-*.jar /pipewright.jar

FROM eclipse-temurin:25-jre
RUN useradd --system --create-home --home-dir /var/lib/pipewright pipewright
WORKDIR /var/lib/pipewright
COPY --from=build /pipewright.jar /opt/pipewright/pipewright.jar
COPY config/ /var/lib/pipewright/config/
RUN chown -R pipewright:pipewright /var/lib/pipewright
USER pipewright
# In a container the service must listen beyond loopback; publish the port deliberately.
ENV SERVER_ADDRESS=0.0.0.0
EXPOSE 8080
VOLUME ["/var/lib/pipewright/data", "/var/lib/pipewright/workspace", "/var/lib/pipewright/logs"]
ENTRYPOINT ["java", "-jar", "/opt/pipewright/pipewright.jar"]
