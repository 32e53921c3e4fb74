package io.flowguard.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.helidon.security.Subject;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.providers.common.TokenCredential;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.eclipse.microprofile.config.Config;

/**
 * The subjects MicroProfile JWT verified, by the SHA-256 of their compact token, so a token sent
 * again is neither parsed nor verified again. A subject is served only while its token would still
 * pass every time rule: {@code exp} plus the clock skew (MicroProfile JWT's rule, inclusive),
 * {@code nbf} and {@code iat} minus the skew ({@link TokenPolicy}'s rules), and
 * {@code mp.jwt.verify.token.age} when configured, all read on this cache's clock at each look-up;
 * an entry past its time is dropped. The cache holds at most {@code flowguard.security.token-cache.size}
 * subjects (Caffeine's size bound; 0: no cache).
 *
 * <p>Keyed by the digest of the whole token: a token differing in any byte is another key, so it is
 * verified on its own. The raw token is never a key; the cached subject holds it (MicroProfile
 * JWT's principal carries its {@code raw_token}) until the entry expires or is evicted.
 */
public final class VerifiedTokens {

    /** The key of the largest number of tokens cached; 0 turns the cache off. */
    public static final String SIZE_KEY = "flowguard.security.token-cache.size";
    /** Tokens cached by default: about 10 MB (a cached subject of a 600-character token is about 10 KB). */
    public static final int DEFAULT_SIZE = 1000;
    /** MicroProfile JWT's key of the longest a token may be used after its {@code iat}, in seconds. */
    static final String MAX_AGE_KEY = "mp.jwt.verify.token.age";

    private final Cache<Key, Entry> cache;
    private final Duration clockSkew;
    private final Optional<Duration> maxTokenAge;
    private final Clock clock;

    /**
     * @param size        the most tokens held, at least 1
     * @param clockSkew   how far token times may be off, as the verifier allows
     * @param maxTokenAge how long after its {@code iat} a token is accepted, where configured
     * @param clock       the clock every look-up is judged on
     */
    public VerifiedTokens(int size, Duration clockSkew, Optional<Duration> maxTokenAge, Clock clock) {
        this.clockSkew = clockSkew;
        this.maxTokenAge = maxTokenAge;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfter(new DropWhenExpired())
                // eviction on the caller's thread: the bound holds when put returns
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /**
     * Reads the cache's settings.
     *
     * @param config    the application configuration
     * @param clockSkew the clock skew of the token rules
     * @param clock     the clock look-ups are judged on
     * @return the cache, or empty when its size is 0
     * @throws IllegalStateException naming the key that is wrong
     */
    public static Optional<VerifiedTokens> from(Config config, Duration clockSkew, Clock clock) {
        int size = config.getOptionalValue(SIZE_KEY, Integer.class).orElse(DEFAULT_SIZE);
        if (size < 0) {
            throw new IllegalStateException(SIZE_KEY + " must be 0 (no cache) or more, was " + size);
        }
        // read as MicroProfile JWT reads it: whole seconds
        Optional<Duration> maxAge = config.getOptionalValue(MAX_AGE_KEY, Integer.class).map(Duration::ofSeconds);
        return size == 0 ? Optional.empty() : Optional.of(new VerifiedTokens(size, clockSkew, maxAge, clock));
    }

    /**
     * Counts hits, misses, evictions and the size as {@code cache_*{cache="token-cache"}}.
     *
     * @param meters the registry to count in
     */
    public void countIn(MeterRegistry meters) {
        CaffeineCacheMetrics.monitor(meters, cache, "token-cache");
    }

    /**
     * @param token a compact token from a request
     * @return the look-up, with the subject verified for this token when it may still be served
     */
    public Lookup lookup(String token) {
        Key key = Key.of(token);
        Entry entry = cache.getIfPresent(key);
        if (entry == null) {
            return new Lookup(token, key, null);
        }
        if (!entry.servesAt(clock.instant())) {
            cache.asMap().remove(key, entry);
            return new Lookup(token, key, null);
        }
        return new Lookup(token, key, entry.subject());
    }

    /**
     * Keeps what MicroProfile JWT verified for a looked-up token.
     *
     * @param lookup  the look-up of the token the request carried
     * @param subject the subject MicroProfile JWT authenticated: kept only when its credential is
     *                that very token and its times still pass
     */
    void keep(Lookup lookup, Subject subject) {
        Optional<TokenCredential> credential = subject.publicCredential(TokenCredential.class)
                .filter(c -> lookup.token().equals(c.token()));
        Optional<Jwt> jwt = credential.flatMap(c -> c.getTokenInstance(Jwt.class));
        Optional<Entry> entry = jwt.flatMap(j -> entry(subject, j)).filter(e -> e.servesAt(clock.instant()));
        entry.ifPresent(e -> cache.put(lookup.key(), e));
    }

    /** The span of time in which every time rule passes, from the verified token's claims. */
    private Optional<Entry> entry(Subject subject, Jwt jwt) {
        if (jwt.expirationTime().isEmpty() || maxTokenAge.isPresent() && jwt.issueTime().isEmpty()) {
            return Optional.empty(); // the verifier requires them: not a token it passed
        }
        // MicroProfile JWT: refused once now - skew is after exp
        Instant last = jwt.expirationTime().get().plus(clockSkew);
        // TokenPolicy: refused while nbf or iat is after now + skew
        Instant first = Instant.MIN;
        for (Optional<Instant> time : List.of(jwt.notBefore(), jwt.issueTime())) {
            if (time.isPresent() && time.get().minus(clockSkew).isAfter(first)) {
                first = time.get().minus(clockSkew);
            }
        }
        if (maxTokenAge.isPresent()) {
            // MicroProfile JWT: accepted while iat - skew < now < iat + age, both ends excluded
            Instant issued = jwt.issueTime().get();
            Instant youngest = issued.minus(clockSkew).plusNanos(1);
            Instant oldest = issued.plus(maxTokenAge.get()).minusNanos(1);
            first = youngest.isAfter(first) ? youngest : first;
            last = oldest.isBefore(last) ? oldest : last;
        }
        return Optional.of(new Entry(subject, first, last));
    }

    /** What one request's token looked up; a hit carries the subject verified for it. */
    public static final class Lookup {

        private final String token;
        private final Key key;
        private final Subject subject;

        private Lookup(String token, Key key, Subject subject) {
            this.token = token;
            this.key = key;
            this.subject = subject;
        }

        /** @return true when the token was verified before and may still be served */
        public boolean verified() {
            return subject != null;
        }

        Optional<Subject> subject() {
            return Optional.ofNullable(subject);
        }

        String token() {
            return token;
        }

        Key key() {
            return key;
        }
    }

    /** The SHA-256 of a compact token, as four longs (value equality, no array kept). */
    private record Key(long a, long b, long c, long d) {

        static Key of(String token) {
            ByteBuffer digest;
            try {
                digest = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                        .digest(token.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
            return new Key(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
        }
    }

    /** A verified subject and the first and last instants it may be served at. */
    private record Entry(Subject subject, Instant first, Instant last) {

        boolean servesAt(Instant now) {
            return !now.isBefore(first) && !now.isAfter(last);
        }
    }

    /**
     * Drops an entry from memory once its last instant has passed (on Caffeine's own ticker):
     * housekeeping only, since every look-up judges the entry on the cache's clock anyway.
     */
    private final class DropWhenExpired implements Expiry<Key, Entry> {

        /** Within Caffeine's longest expiry (about 146 years); a token may name the year 9999. */
        private static final Duration LONGEST = Duration.ofDays(36_500);

        @Override
        public long expireAfterCreate(Key key, Entry entry, long currentTime) {
            Duration left = Duration.between(clock.instant(), entry.last()).plusNanos(1);
            return left.isNegative() ? 0 : (left.compareTo(LONGEST) > 0 ? LONGEST : left).toNanos();
        }

        @Override
        public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
        }

        @Override
        public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
