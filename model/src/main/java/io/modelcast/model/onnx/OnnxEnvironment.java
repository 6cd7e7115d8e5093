package io.modelcast.model.onnx;

import ai.onnxruntime.OrtEnvironment;

/**
 * The process's ONNX Runtime environment, created once, on a thread of its own with a large stack.
 *
 * <p>Loading ONNX Runtime's native library and creating its environment needs more than the
 * 1 MiB of stack a Java thread gets by default on Linux x64: on such a thread it can overflow the
 * stack in native code, and the JVM dies with a bare SIGSEGV and no error file. Whether it does
 * depends on how deep the calling thread already is (it did, in {@code bin/job-local} with Flink's
 * JVM options, on the task thread that validated the first ONNX model). Sessions and inference run
 * fine on ordinary threads once the environment exists, so only this step moves to a thread with
 * {@link #INIT_STACK_BYTES} of stack — no {@code -Xss} needed on any JVM that runs the job.
 */
final class OnnxEnvironment {

    /** Stack of the thread that initializes ONNX Runtime. */
    static final long INIT_STACK_BYTES = 16L * 1024 * 1024;

    private static OrtEnvironment environment;

    private OnnxEnvironment() {}

    /** The environment, created on first use. */
    static synchronized OrtEnvironment get() {
        if (environment == null) {
            OrtEnvironment[] created = new OrtEnvironment[1];
            Throwable[] failure = new Throwable[1];
            Thread init = new Thread(null, () -> {
                try {
                    created[0] = OrtEnvironment.getEnvironment();
                } catch (Throwable t) {
                    failure[0] = t;
                }
            }, "onnxruntime-init", INIT_STACK_BYTES);
            init.setDaemon(true);
            init.start();
            boolean interrupted = false;
            while (true) {
                try {
                    init.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure[0] != null) {
                throw new IllegalStateException("ONNX Runtime cannot be loaded: " + failure[0], failure[0]);
            }
            environment = created[0];
        }
        return environment;
    }
}
