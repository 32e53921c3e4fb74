package io.flowguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time used so far (user + system) by processes, read from {@code /proc/<pid>/stat}: where
 * the two cores go during a run, per execution, so "CPU-bound" is a measured figure. Linux only;
 * elsewhere every reading is -1 and the figures read {@code n/a}.
 */
final class CpuTime {

    /** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuTime() {
    }

    /** @return the process's CPU milliseconds so far, or -1 when unreadable */
    static double ofProcess(long pid) {
        try {
            return ticksToMillis(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    /** @return user + system milliseconds of a {@code /proc/.../stat} line */
    private static double ticksToMillis(String stat) {
        String[] fields = fieldsAfterName(stat);
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** @return user + system milliseconds of the ended children a process has waited for */
    private static double childTicksToMillis(String stat) {
        String[] fields = fieldsAfterName(stat);
        long ticks = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** The fields after the command name, which is in parentheses and may hold spaces. */
    private static String[] fieldsAfterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * @return the CPU milliseconds so far of the process's JIT compiler threads ({@code C1/C2
     *         CompilerThreadN}), or -1 when unreadable: how much of a run still goes to compiling
     */
    static double ofCompilers(long pid) {
        try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
            double sum = 0;
            for (Path thread : threads.toList()) {
                try {
                    if (Files.readString(thread.resolve("comm")).strip().matches("C[12] CompilerThre.*")) {
                        sum += ticksToMillis(Files.readString(thread.resolve("stat")));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
            return sum;
        } catch (IOException | RuntimeException noProc) {
            return -1;
        }
    }

    /**
     * @return the CPU milliseconds so far of every process whose command is {@code command}, with
     *         those of their ended children: a PostgreSQL backend that ends (a pool closing a
     *         connection) moves its time to the postmaster's children's time, so the sum does not
     *         fall when one does
     */
    static double ofCommand(String command) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            List<Long> pids = entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
            double sum = 0;
            boolean any = false;
            for (long pid : pids) {
                try {
                    if (Files.readString(Path.of("/proc/" + pid + "/comm")).strip().equals(command)) {
                        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                        sum += ticksToMillis(stat) + childTicksToMillis(stat);
                        any = true;
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
            return any ? sum : -1;
        } catch (IOException | RuntimeException noProc) {
            return -1;
        }
    }

    /** @return CPU milliseconds per execution between two readings, or "n/a" */
    static Object perExecution(double before, double after, long executions) {
        if (before < 0 || after < 0 || executions == 0) {
            return "n/a";
        }
        return Benchmark.round((after - before) / executions);
    }
}
