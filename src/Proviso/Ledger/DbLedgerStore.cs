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
public sealed class DbLedgerStore(ProvisoDbOptions options, LedgerDurability durability = LedgerDurability.Flushed) : ILedgerStore
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
        // A plain pooled connection: the append path runs once per commit and needs no DbContext.
        await using var connection = IsSqlite
            ? new Microsoft.Data.Sqlite.SqliteConnection(options.ConnectionString)
            : (DbConnection)new Npgsql.NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        // SQLite: Serializable is BEGIN IMMEDIATE, the write lock up front. PostgreSQL: the advisory lock below serializes.
        var relaxed = durability == LedgerDurability.Committed;
        if (relaxed && IsSqlite)
        {
            // Per connection, and this pooled connection is shared with the rest of the host: set back below.
            await ExecuteAsync(connection, null, "PRAGMA synchronous=NORMAL", ct);
        }
        try
        {
            await using var tx = await connection.BeginTransactionAsync(IsSqlite ? IsolationLevel.Serializable : IsolationLevel.ReadCommitted, ct);
            if (!IsSqlite)
            {
                await ExecuteAsync(connection, tx, relaxed
                    ? $"SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock({AdvisoryLockKey})"
                    : $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
            }
            var writer = new Writer(connection, tx, IsSqlite, ct);
            var result = await work(writer);
            await tx.CommitAsync(ct);
            if (relaxed)
            {
                Interlocked.Exchange(ref _unflushed, 1);
            }
            return result;
        }
        finally
        {
            if (relaxed && IsSqlite)
            {
                await ExecuteAsync(connection, null, "PRAGMA synchronous=FULL", CancellationToken.None);
            }
        }
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

    private sealed class Writer(DbConnection connection, DbTransaction tx, bool sqlite, CancellationToken ct) : ILedgerWriter
    {
        private DbCommand Command(string sql)
        {
            var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            return cmd;
        }

        public async Task<long> SizeAsync()
        {
            await using var cmd = Command("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries");
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<IReadOnlyList<byte[]>> LeafHashesAsync(long first, long limit)
        {
            await using var cmd = Command("SELECT leaf_hash FROM ledger_entries WHERE idx >= @first AND idx < @limit ORDER BY idx");
            AddParameter(cmd, "@first", first);
            AddParameter(cmd, "@limit", limit);
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
            await using var cmd = Command("INSERT INTO ledger_entries (idx, leaf_hash, payload, action, actor, vendor, time) VALUES (@i, @h, @p, @a, @u, @v, @t)");
            var pi = Param(cmd, "@i", DbType.Int64);
            var ph = Param(cmd, "@h", DbType.Binary);
            var pp = Param(cmd, "@p", DbType.Binary);
            var pa = Param(cmd, "@a", DbType.String);
            var pu = Param(cmd, "@u", DbType.String);
            var pv = Param(cmd, "@v", DbType.String);
            var pt = sqlite ? Param(cmd, "@t", DbType.Int64) : Param(cmd, "@t", DbType.DateTimeOffset);
            await cmd.PrepareAsync(ct);
            foreach (var e in entries)
            {
                var record = e.Record ?? LedgerRecord.Parse(e.Payload);
                pi.Value = e.Index;
                ph.Value = e.LeafHash;
                pp.Value = e.Payload;
                pa.Value = Truncate(record.Action, 100);
                pu.Value = Truncate(record.Actor, 300);
                pv.Value = record.Vendor is null ? DBNull.Value : Truncate(record.Vendor, 200);
                pt.Value = sqlite ? record.Time.UtcTicks : record.Time.ToUniversalTime();
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }

        public async Task InsertCheckpointAsync(StoredCheckpoint checkpoint)
        {
            await using var cmd = Command("INSERT INTO ledger_checkpoints (size, root_hash, note, created_at) VALUES (@s, @r, @n, @c)");
            AddParameter(cmd, "@s", checkpoint.Size);
            AddParameter(cmd, "@r", checkpoint.RootHash);
            AddParameter(cmd, "@n", checkpoint.Note);
            AddParameter(cmd, "@c", sqlite ? checkpoint.CreatedAt.UtcTicks : checkpoint.CreatedAt.ToUniversalTime());
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
