/**
 * Object codecs: the {@link io.github.multiproc.ipc.codec.Codec} SPI that turns values into
 * payload bytes and back, and its default, {@link io.github.multiproc.ipc.codec.JdkCodec} (JDK
 * serialization behind an {@link java.io.ObjectInputFilter}, with an up-front serializability
 * diagnosis that names the class and field path).
 *
 * @since 0.1
 */
package io.github.multiproc.ipc.codec;
