using PaperBot.Core.Papers;
using PaperBot.Core.Persistence;
using PaperBot.Storage;
using PaperBot.Testing;
using PaperBot.Testing.Storage;

namespace PaperBot.Storage.Tests;

/// <summary>The store contract on LiteDB: a fresh file per test.</summary>
public sealed class LiteDbStoreContractTests : StoreContractTests, IDisposable
{
    private readonly TempDir _dir = new();
    private readonly LiteDbContext _context;
    private readonly LiteDbPaperStore _papers;

    public LiteDbStoreContractTests()
    {
        _context = new LiteDbContext(_dir.File("contract.db"));
        _papers = new LiteDbPaperStore(_context);
    }

    protected override IPaperStore Papers => _papers;

    protected override IRecordStore<T> Records<T>() => new LiteDbRecordStore<T>(_context);

    /// <summary>
    /// One process owns a LiteDB file; every other process works on it through the owner's socket, i.e. on the
    /// owner's store (PaperBot.Storage.Sharing): the second handle is that store.
    /// </summary>
    protected override (IPaperStore Papers, IRecordStore<ContractRecord> Records) OpenAgain() => (_papers, Records<ContractRecord>());

    public void Dispose()
    {
        _context.Dispose();
        _dir.Dispose();
    }
}
