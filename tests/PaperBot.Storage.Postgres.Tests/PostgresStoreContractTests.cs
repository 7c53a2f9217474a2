using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Storage.Postgres;
using PaperBot.Testing.Postgres;
using PaperBot.Testing.Storage;

namespace PaperBot.Storage.Postgres.Tests;

/// <summary>The store contract on PostgreSQL: a database per class, a schema per test, a second data source as the "other process".</summary>
public sealed class PostgresStoreContractTests : StoreContractTests, IClassFixture<PostgresTestDatabase>, IDisposable
{
    private readonly PostgresTestDatabase _db;
    private readonly List<PostgresDatabase> _opened = [];
    private string? _schema;
    private PostgresDatabase? _database;
    private PostgresPaperStore? _papers;

    public PostgresStoreContractTests(PostgresTestDatabase db) => _db = db;

    private PostgresDatabase Database
    {
        get
        {
            if (_database is null)
            {
                _schema = _db.NewSchema();
                _database = Open();
            }

            return _database;
        }
    }

    protected override IPaperStore Papers => _papers ??= new PostgresPaperStore(Database);

    protected override IRecordStore<T> Records<T>() => new PostgresRecordStore<T>(Database);

    protected override (IPaperStore Papers, IRecordStore<ContractRecord> Records) OpenAgain()
    {
        _ = Database;
        var other = Open();
        return (new PostgresPaperStore(other), new PostgresRecordStore<ContractRecord>(other));
    }

    private PostgresDatabase Open()
    {
        var d = new PostgresDatabase(_schema!);
        _opened.Add(d);
        return d;
    }

    public void Dispose()
    {
        foreach (var d in _opened)
        {
            d.Dispose();
        }
    }
}
