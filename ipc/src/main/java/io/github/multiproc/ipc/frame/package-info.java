/**
 * The length-prefixed frame protocol spoken between JVMs: {@link
 * io.github.multiproc.ipc.frame.Frame}, its wire layout ({@link io.github.multiproc.ipc.frame.Frames}),
 * blocking stream I/O ({@link io.github.multiproc.ipc.frame.FrameWriter}, {@link
 * io.github.multiproc.ipc.frame.FrameReader}) and incremental NIO coding ({@link
 * io.github.multiproc.ipc.frame.FrameEncoder}, {@link io.github.multiproc.ipc.frame.FrameDecoder}).
 * Independent of processes; specified byte by byte in {@code docs/protocol.md}.
 *
 * @since 0.1
 */
package io.github.multiproc.ipc.frame;
