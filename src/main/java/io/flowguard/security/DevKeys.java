package io.flowguard.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The development profile's own RSA key pair, generated once under the data folder so that a
 * laptop can mint tokens ({@code dev-token}) that the local service verifies. Never used in prod:
 * there the verification key comes from configuration and no private key exists on the server.
 */
public final class DevKeys {

    /** File name of the public key (PEM, X.509 SubjectPublicKeyInfo). */
    public static final String PUBLIC_FILE = "dev-jwt-public.pem";
    /** File name of the private key (PEM, PKCS#8), readable by the owner only. */
    public static final String PRIVATE_FILE = "dev-jwt-private.pem";

    private final RSAPublicKey publicKey;
    private final RSAPrivateKey privateKey;

    private DevKeys(RSAPublicKey publicKey, RSAPrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /**
     * Loads the pair from {@code dataDir}, generating it first if absent.
     *
     * @param dataDir the data folder
     * @return the keys
     */
    public static DevKeys loadOrCreate(Path dataDir) {
        try {
            Path pub = dataDir.resolve(PUBLIC_FILE);
            Path priv = dataDir.resolve(PRIVATE_FILE);
            if (!Files.exists(pub) || !Files.exists(priv)) {
                Files.createDirectories(dataDir);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                write(priv, "PRIVATE KEY", pair.getPrivate().getEncoded(), true);
                write(pub, "PUBLIC KEY", pair.getPublic().getEncoded(), false);
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(read(pub)));
            RSAPrivateKey privateKey = (RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(read(priv)));
            return new DevKeys(publicKey, privateKey);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create or read the dev key pair in " + dataDir + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** @param dataDir the data folder @return where the public key lives */
    public static Path publicKeyFile(Path dataDir) {
        return dataDir.resolve(PUBLIC_FILE);
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public RSAPrivateKey privateKey() {
        return privateKey;
    }

    private static void write(Path file, String label, byte[] der, boolean secret) throws IOException {
        String pem = "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + label + "-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        if (secret) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                file.toFile().setReadable(false, false);
                file.toFile().setReadable(true, true);
            }
        }
    }

    private static byte[] read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }
}
