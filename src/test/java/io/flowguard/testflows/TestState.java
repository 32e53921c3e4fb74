package io.flowguard.testflows;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.Size;

/** State of the test flows: a key for coordinating with the test, and a log of what ran. */
public class TestState {
    /** Names this execution in {@link Gates}. */
    @Size(max = 100)
    public String key;
    /** Bytes a step adds to the state (for the state cap). */
    public int grow;
    /** Filler the state cap test grows. */
    public String blob = "";
    /** What ran, in order. */
    public List<String> log = new ArrayList<>();

    /** For reading the state back from the database. */
    public TestState() {
    }

    /** @param input what the test gave */
    public TestState(TestInput input) {
        this.key = input.key();
        this.grow = input.grow() == null ? 0 : input.grow();
        this.blob = input.blob() == null ? "" : input.blob();
    }
}
