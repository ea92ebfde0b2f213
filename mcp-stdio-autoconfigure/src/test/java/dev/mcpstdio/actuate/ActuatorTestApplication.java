package dev.mcpstdio.actuate;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A web application with actuator and the starter, for the HTTP tests.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ActuatorTestApplication {

}
