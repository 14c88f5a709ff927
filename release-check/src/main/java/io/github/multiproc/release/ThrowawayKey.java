package io.github.multiproc.release;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * An OpenPGP signing key made for one test run (RSA 2048, BouncyCastle), never stored: the
 * release build signs with it ({@code MAVEN_GPG_KEY}, {@code MAVEN_GPG_PASSPHRASE}) and the check
 * verifies every {@code .asc} against its public key.
 */
final class ThrowawayKey {

  private final PGPSecretKeyRing secret;
  private final String passphrase;

  private ThrowawayKey(PGPSecretKeyRing secret, String passphrase) {
    this.secret = secret;
    this.passphrase = passphrase;
  }

  /** {@return a new key, protected by a random passphrase} */
  static ThrowawayKey generate() {
    try {
      SecureRandom random = new SecureRandom();
      String passphrase = new BigInteger(128, random).toString(36);
      RSAKeyPairGenerator rsa = new RSAKeyPairGenerator();
      rsa.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), random, 2048, 12));
      PGPKeyPair pair = new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.RSA_GENERAL,
          rsa.generateKeyPair(), new Date());
      PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
      PGPKeyRingGenerator rings = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair,
          "multiproc release check <release-check@multiproc.invalid>", sha1, null, null,
          new BcPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
          new BcPBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1).build(passphrase.toCharArray()));
      return new ThrowawayKey(rings.generateSecretKeyRing(), passphrase);
    } catch (PGPException e) {
      throw new IllegalStateException("cannot make a signing key", e);
    }
  }

  /** {@return the secret key, ASCII-armored, as {@code MAVEN_GPG_KEY} takes it} */
  String armoredSecretKey() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArmoredOutputStream armor = ArmoredOutputStream.builder().build(out)) {
      secret.encode(armor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  /** {@return the passphrase, as {@code MAVEN_GPG_PASSPHRASE} takes it} */
  String passphrase() {
    return passphrase;
  }

  /**
   * Tells whether a detached ASCII signature was made by this key over a file.
   *
   * @param file the signed file
   * @param signature its {@code .asc}
   * @return whether it verifies
   * @throws IOException if either cannot be read
   */
  boolean verifies(Path file, Path signature) throws IOException {
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(signature))) {
      Object o = new BcPGPObjectFactory(in).nextObject();
      if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
        return false;
      }
      PGPSignature sig = list.get(0);
      PGPPublicKey key = secret.getPublicKey(sig.getKeyID());
      if (key == null) {
        return false;
      }
      sig.init(new BcPGPContentVerifierBuilderProvider(), key);
      sig.update(Files.readAllBytes(file));
      return sig.verify();
    } catch (PGPException e) {
      return false;
    }
  }
}
