package dev.mmucheck.scheduling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

/** xe's notifier_lock as an rw_semaphore: fault paths share it in read mode, a writer waits for all of them. */
class SleepingLockReadModeTest {

    @Test
    void readersShareTheLockAndAWriterWaitsForAllOfThem() throws Exception {
        SleepingLock lock = new SleepingLock("vm->notifier_lock", new Sched());
        CountDownLatch bothIn = new CountDownLatch(2), release = new CountDownLatch(1);
        Runnable reader = () -> {
            lock.lockRead();
            assertTrue(lock.isHeldByCurrentThread());
            bothIn.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            lock.unlockRead();
        };
        Thread r1 = new Thread(reader, "r1"), r2 = new Thread(reader, "r2");
        r1.start();
        r2.start();
        bothIn.await();
        assertEquals(2, lock.readers().size(), "both fault paths hold it for read at once");
        assertFalse(lock.tryLock(), "down_write must not succeed while readers hold the lock");
        release.countDown();
        r1.join();
        r2.join();
        assertEquals(List.of(), lock.readers());
        assertTrue(lock.tryLock(), "free again once both readers left");
        lock.unlock();
    }

    @Test
    void aReaderWaitsForTheWriterAndUpReadChecksTheHolder() {
        SleepingLock lock = new SleepingLock("vm->notifier_lock", new Sched());
        assertThrows(IllegalStateException.class, lock::unlockRead, "up_read by a thread that does not hold it");
        lock.lock();
        assertThrows(IllegalStateException.class, lock::lockRead, "down_read by the writer itself deadlocks in the kernel");
        lock.unlock();
    }
}
