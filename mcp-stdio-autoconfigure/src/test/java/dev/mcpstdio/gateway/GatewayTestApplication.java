package dev.mcpstdio.gateway;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A web application with the starter and its gateway, for the tests that call the gateway
 * with external clients.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class GatewayTestApplication {

}
