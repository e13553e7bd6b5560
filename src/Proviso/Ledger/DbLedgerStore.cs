using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Proviso.Data;
using Proviso.Hosting;
using Proviso.Ledger.Records;
using Proviso.Ledger.Storage;

namespace Proviso.Ledger;

/// <summary>
/// The ledger on the host's database (SQLite or PostgreSQL). Appends are serialized in the database —
/// SQLite's write lock (BEGIN IMMEDIATE), PostgreSQL's transaction-scoped advisory lock — so any number
/// of threads, processes and host instances can append; each batch is one transaction.
/// </summary>
public sealed class DbLedgerStore(ProvisoDbOptions options, LedgerDurability durability = LedgerDurability.Flushed) : ILedgerStore, IAsyncDisposable
{
    private int _unflushed;

    /// <summary>When commits count as done (see <see cref="LedgerDurability"/>).</summary>
    public LedgerDurability Durability => durability;

    // An arbitrary constant naming Proviso's ledger lock among PostgreSQL advisory locks.
    private const long AdvisoryLockKey = 0x50524F5649534F;

    private bool IsSqlite => options.Provider == DatabaseProvider.Sqlite;

    public async Task<T> WithAppendLockAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return IsSqlite ? await WithSqliteSessionAsync(work, ct) : await WithPostgresAsync(work, ct);
    }

    // SQLite: the ledger keeps one connection of its own, open, with its statements prepared once. A pooled connection per
    // commit cost an open, two PRAGMAs (synchronous set for the commit and back) and three statement preparations — about
    // half of a commit's 60 us when calls come one at a time (bench: ledger-latency).
    private readonly SemaphoreSlim _sqliteGate = new(1, 1);
    private Commands? _sqlite;

    private async Task<T> WithSqliteSessionAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct)
    {
        await _sqliteGate.WaitAsync(ct);
        try
        {
            var session = _sqlite ??= await OpenSqliteSessionAsync(ct);
            try
            {
                // Serializable is BEGIN IMMEDIATE: the write lock up front, which also serializes other processes and instances.
                await using var tx = await session.Connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                var result = await work(new Writer(session, tx, sqlite: true, ct));
                await tx.CommitAsync(ct);
                if (durability == LedgerDurability.Committed)
                {
                    Interlocked.Exchange(ref _unflushed, 1);
                }
                return result;
            }
            catch
            {
                // Whatever went wrong, the next commit starts from a fresh connection.
                _sqlite = null;
                await session.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _sqliteGate.Release();
        }
    }

    /// <summary>Closes the ledger's own SQLite connection (after the last commit).</summary>
    public async ValueTask DisposeAsync()
    {
        await _sqliteGate.WaitAsync();
        try
        {
            if (_sqlite is { } session)
            {
                _sqlite = null;
                await session.DisposeAsync();
            }
        }
        finally
        {
            _sqliteGate.Release();
        }
        _sqliteGate.Dispose();
    }

    private async Task<Commands> OpenSqliteSessionAsync(CancellationToken ct)
    {
        // Not pooled: the connection is the ledger's for the life of the process, and its synchronous setting must not reach
        // connections the rest of the host uses.
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, null, durability == LedgerDurability.Committed ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL", ct);
            return new Commands(connection, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task<T> WithPostgresAsync<T>(Func<ILedgerWriter, Task<T>> work, CancellationToken ct)
    {
        // A plain pooled connection (Npgsql prepares and keeps statements per physical connection itself).
        await using var connection = new Npgsql.NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        await using var commands = new Commands(connection, ownsConnection: false);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        // The advisory lock serializes appends across connections, processes and instances.
        await ExecuteAsync(connection, tx, durability == LedgerDurability.Committed
            ? $"SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock({AdvisoryLockKey})"
            : $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
        var result = await work(new Writer(commands, tx, sqlite: false, ct));
        await tx.CommitAsync(ct);
        if (durability == LedgerDurability.Committed)
        {
            Interlocked.Exchange(ref _unflushed, 1);
        }
        return result;
    }

    /// <summary>
    /// With <see cref="LedgerDurability.Committed"/>, forces commits made since the last call to disk
    /// (SQLite: a passive WAL checkpoint, which syncs the WAL first; PostgreSQL flushes its WAL itself
    /// within three wal_writer_delay periods). Returns whether anything was waiting.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _unflushed, 0) == 0)
        {
            return false;
        }
        if (IsSqlite)
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(options.ConnectionString);
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(PASSIVE)", ct);
        }
        return true;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<long> SizeAsync(CancellationToken ct = default)
    {
        await using var db = options.Create();
        return await db.LedgerEntries.AnyAsync(ct) ? await db.LedgerEntries.MaxAsync(e => e.Index, ct) + 1 : 0;
    }

    public async IAsyncEnumerable<LedgerEntry> ReadAsync(long first, long limit, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = options.Create();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT idx, leaf_hash, payload FROM ledger_entries WHERE idx >= @first AND idx < @limit ORDER BY idx";
        AddParameter(cmd, "@first", first);
        AddParameter(cmd, "@limit", limit);
        await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new LedgerEntry(reader.GetInt64(0), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2));
        }
    }

    public async Task<IReadOnlyList<StoredCheckpoint>> CheckpointsAsync(CancellationToken ct = default)
    {
        await using var db = options.Create();
        var rows = await db.LedgerCheckpoints.AsNoTracking().OrderBy(c => c.Size).ToListAsync(ct);
        return rows.Select(r => new StoredCheckpoint(r.Size, r.RootHash, r.Note, r.CreatedAt)).ToList();
    }

    private static void AddParameter(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    /// <summary>A connection's ledger statements, each created and prepared once and reused (parameters included).</summary>
    private sealed class Commands(DbConnection connection, bool ownsConnection) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _bySql = new(StringComparer.Ordinal);

        public DbConnection Connection => connection;

        /// <summary>The statement for <paramref name="sql"/> in <paramref name="tx"/>; <paramref name="create"/> adds its parameters the first time.</summary>
        public async Task<DbCommand> GetAsync(string sql, DbTransaction tx, Action<DbCommand>? create, CancellationToken ct)
        {
            if (!_bySql.TryGetValue(sql, out var cmd))
            {
                cmd = connection.CreateCommand();
                cmd.CommandText = sql;
                cmd.Transaction = tx;
                create?.Invoke(cmd);
                await cmd.PrepareAsync(ct);
                _bySql[sql] = cmd;
            }
            cmd.Transaction = tx;
            return cmd;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var cmd in _bySql.Values)
            {
                await cmd.DisposeAsync();
            }
            _bySql.Clear();
            if (ownsConnection)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class Writer(Commands commands, DbTransaction tx, bool sqlite, CancellationToken ct) : ILedgerWriter
    {
        private const string InsertEntry = "INSERT INTO ledger_entries (idx, leaf_hash, payload, action, actor, vendor, time) VALUES (@i, @h, @p, @a, @u, @v, @t)";
        private const string InsertCheckpoint = "INSERT INTO ledger_checkpoints (size, root_hash, note, created_at) VALUES (@s, @r, @n, @c)";
        private const string SelectLeaves = "SELECT leaf_hash FROM ledger_entries WHERE idx >= @first AND idx < @limit ORDER BY idx";

        public async Task<long> SizeAsync()
        {
            var cmd = await commands.GetAsync("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries", tx, null, ct);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<IReadOnlyList<byte[]>> LeafHashesAsync(long first, long limit)
        {
            var cmd = await commands.GetAsync(SelectLeaves, tx, c =>
            {
                Param(c, "@first", DbType.Int64);
                Param(c, "@limit", DbType.Int64);
            }, ct);
            cmd.Parameters[0].Value = first;
            cmd.Parameters[1].Value = limit;
            var list = new List<byte[]>();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                list.Add((byte[])reader.GetValue(0));
            }
            return list;
        }

        public async Task InsertAsync(IReadOnlyList<LedgerEntry> entries)
        {
            var cmd = await commands.GetAsync(InsertEntry, tx, c =>
            {
                Param(c, "@i", DbType.Int64);
                Param(c, "@h", DbType.Binary);
                Param(c, "@p", DbType.Binary);
                Param(c, "@a", DbType.String);
                Param(c, "@u", DbType.String);
                Param(c, "@v", DbType.String);
                Param(c, "@t", sqlite ? DbType.Int64 : DbType.DateTimeOffset);
            }, ct);
            var p = cmd.Parameters;
            foreach (var e in entries)
            {
                var record = e.Record ?? LedgerRecord.Parse(e.Payload);
                p[0].Value = e.Index;
                p[1].Value = e.LeafHash;
                p[2].Value = e.Payload;
                p[3].Value = Truncate(record.Action, 100);
                p[4].Value = Truncate(record.Actor, 300);
                p[5].Value = record.Vendor is null ? DBNull.Value : Truncate(record.Vendor, 200);
                p[6].Value = sqlite ? record.Time.UtcTicks : record.Time.ToUniversalTime();
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }

        public async Task InsertCheckpointAsync(StoredCheckpoint checkpoint)
        {
            var cmd = await commands.GetAsync(InsertCheckpoint, tx, c =>
            {
                Param(c, "@s", DbType.Int64);
                Param(c, "@r", DbType.Binary);
                Param(c, "@n", DbType.String);
                Param(c, "@c", sqlite ? DbType.Int64 : DbType.DateTimeOffset);
            }, ct);
            var p = cmd.Parameters;
            p[0].Value = checkpoint.Size;
            p[1].Value = checkpoint.RootHash;
            p[2].Value = checkpoint.Note;
            p[3].Value = sqlite ? checkpoint.CreatedAt.UtcTicks : checkpoint.CreatedAt.ToUniversalTime();
            await cmd.ExecuteNonQueryAsync(ct);
        }

        private static DbParameter Param(DbCommand cmd, string name, DbType type)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            cmd.Parameters.Add(p);
            return p;
        }

        private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
    }
}
