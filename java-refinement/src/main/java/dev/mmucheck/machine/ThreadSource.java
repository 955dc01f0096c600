package dev.mmucheck.machine;

/**
 * Where a {@link Machine}'s process threads come from: a fresh thread per process ({@link #FRESH}),
 * or the threads of a {@link ProcessThreads}, reused from one machine to the next.
 */
public interface ThreadSource {
    /** A thread named {@code name} that will run {@code body} once {@link #start}ed; not running it yet. */
    Thread create(String name, Runnable body);

    /** Let thread {@code t} (from {@link #create}) run its body. */
    void start(Thread t);

    /** A new daemon thread per process. */
    ThreadSource FRESH = new ThreadSource() {
        @Override
        public Thread create(String name, Runnable body) {
            Thread t = new Thread(body, name);
            t.setDaemon(true);
            return t;
        }

        @Override
        public void start(Thread t) { t.start(); }
    };
}
