package dev.mcpstdio.gateway;

import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.autoconfigure.McpStdioConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Authentication settings that cannot work fail startup with the property and the fix, in
 * an application with Spring Security's resource server: each case starts the real
 * application. (Spring Authorization Server is on the test class path too: the case
 * without a JWT decoder excludes the one it would bring.)
 */
class GatewayAuthSettingsTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					auth none without allow-unauthenticated | mcp.stdio.gateway.auth=none | mcp.stdio.gateway.auth | allow-unauthenticated: true
					oauth2 without public-url | mcp.stdio.gateway.auth=oauth2 | mcp.stdio.gateway.public-url | https://mcp.example.com
					public-url that is no http URL | mcp.stdio.gateway.public-url=mcp.example.com | mcp.stdio.gateway.public-url | https://mcp.example.com
					oauth2 without a JWT decoder | mcp.stdio.gateway.public-url=http://localhost:1,spring.autoconfigure.exclude=org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration | spring.security.oauth2.resourceserver.jwt.issuer-uri | issuer
					token without a token | mcp.stdio.gateway.auth=token | mcp.stdio.gateway.token | MCP_GATEWAY_TOKEN
					scopes of no server | mcp.stdio.gateway.scopes.nowhere=admin,mcp.stdio.gateway.public-url=http://localhost:1 | mcp.stdio.gateway.scopes.nowhere | [own, shared]
					scopes with a static token | mcp.stdio.gateway.auth=token,mcp.stdio.gateway.token=t,mcp.stdio.gateway.scopes.own=admin | mcp.stdio.gateway.scopes | auth: oauth2
					process-per subject of a shared server | mcp.stdio.gateway.process-per.shared=subject,mcp.stdio.gateway.public-url=http://localhost:1 | mcp.stdio.gateway.process-per.shared | keep-alive: false
					process-per subject with nobody authenticated | mcp.stdio.gateway.process-per.own=subject,mcp.stdio.gateway.allow-unauthenticated=true | mcp.stdio.gateway.process-per.own | auth: oauth2
					""")
	void aSettingThatCannotWorkFailsStartupNamingThePropertyAndTheFix(String setting, String properties,
			String property, String fix) {
		List<String> all = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		all.addAll(GatewayTestApplication.fixture("shared"));
		all.add("mcp.stdio.gateway.allow-unauthenticated=false");
		all.addAll(List.of(properties.split(",")));
		assertThatException().isThrownBy(() -> GatewayTestApplication.start(all).close())
			.havingRootCause()
			.isInstanceOfSatisfying(McpStdioConfigurationException.class, (refused) -> {
				assertThat(refused.getProperty()).isEqualTo(property);
				assertThat(refused.getAction()).contains(fix);
			});
	}

}
