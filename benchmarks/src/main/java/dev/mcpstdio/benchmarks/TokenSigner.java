package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Stands in for an authorization server in row 23: an RSA key pair (2048 bits) of its
 * own, the public key written as a PEM file for Boot's JWT decoder
 * ({@code spring.security.oauth2.resourceserver.jwt.public-key-location}: the key a
 * decoder otherwise fetches from the issuer's JWKS and caches), and access tokens signed
 * with the private key (RS256, with nimbus-jose-jwt), with the claims Spring
 * Authorization Server puts in one. The PEM file is deleted at the close.
 */
final class TokenSigner implements AutoCloseable {

	static final String ISSUER = "https://authorization-server.benchmarks.invalid";

	private final KeyPair keys;

	private final String keyId = UUID.randomUUID().toString();

	private final Path publicKey;

	private TokenSigner(KeyPair keys, Path publicKey) {
		this.keys = keys;
		this.publicKey = publicKey;
	}

	/** A new key pair, its public key written to a temporary PEM file. */
	static TokenSigner generate() throws IOException, NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keys = generator.generateKeyPair();
		Path pem = Files.createTempFile("mcp-stdio-benchmarks-jwt", ".pem");
		Files.writeString(pem,
				"-----BEGIN PUBLIC KEY-----\n"
						+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(keys.getPublic().getEncoded())
						+ "\n-----END PUBLIC KEY-----\n");
		return new TokenSigner(keys, pem);
	}

	/** The public key's PEM file, as a Spring resource location. */
	String publicKeyLocation() {
		return "file:" + this.publicKey.toAbsolutePath();
	}

	/**
	 * A signed access token.
	 * @param subject who it is for ({@code sub})
	 * @param audience the resource it is for ({@code aud}: a server's canonical URI)
	 * @param scope its scopes, space-separated ({@code scope})
	 * @param lifetime from now to its expiry ({@code exp})
	 * @return the token, serialized (header.claims.signature)
	 */
	String token(String subject, String audience, String scope, Duration lifetime) throws JOSEException {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject(subject)
			.audience(audience)
			.notBeforeTime(Date.from(now))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(lifetime)))
			.jwtID(UUID.randomUUID().toString())
			.claim("scope", scope)
			.build();
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(this.keyId).build(), claims);
		jwt.sign(new RSASSASigner(this.keys.getPrivate()));
		return jwt.serialize();
	}

	@Override
	public void close() throws IOException {
		Files.deleteIfExists(this.publicKey);
	}

}
