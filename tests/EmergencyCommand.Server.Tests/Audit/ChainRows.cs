using EmergencyCommand.Server.Audit;
using Npgsql;

namespace EmergencyCommand.Server.Tests.Audit;

/// <summary>
/// The stored chain read and rewritten straight in PostgreSQL, the way a rogue administrator would: the blocks, and the
/// links a database stored one per event before blocks existed.
/// </summary>
public sealed class ChainRows(string connectionString)
{
    public async Task<List<ChainLink>> Read()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select id, data->>'hash', coalesce((data->>'form')::int, 0) from emergency.mt_doc_auditlink
            union all
            select (l->>'sequence')::bigint, l->>'hash', (l->>'form')::int
            from emergency.mt_doc_auditblock b, jsonb_array_elements(b.data->'links') l
            order by 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var links = new List<ChainLink>();
        while (await reader.ReadAsync()) links.Add(new ChainLink(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        return links;
    }

    /// <summary>Replaces the whole stored chain: links up to <paramref name="storedSingly"/> one document each (form 0 stored without a form), the rest in blocks.</summary>
    public async Task Write(IReadOnlyList<ChainLink> links, long storedSingly = 0)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, "delete from emergency.mt_doc_auditlink; delete from emergency.mt_doc_auditblock");
        long previous = 0;
        foreach (var link in links.Where(l => l.Sequence <= storedSingly))
        {
            await Execute(connection, """
                insert into emergency.mt_doc_auditlink (id, data, mt_dotnet_type)
                values ($1, jsonb_build_object('id', $1, 'previous', $2, 'hash', $3::text) || case when $4 = 0 then '{}' else jsonb_build_object('form', $4) end,
                        'EmergencyCommand.Server.Audit.AuditLink')
                """, link.Sequence, previous, link.Hash, link.Form);
            previous = link.Sequence;
        }
        foreach (var block in links.Where(l => l.Sequence > storedSingly).GroupBy(l => AuditBlock.IdOf(l.Sequence)))
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new
            {
                id = block.Key,
                links = block.Select(l => new { sequence = l.Sequence, hash = l.Hash, form = l.Form }),
            });
            await Execute(connection, "insert into emergency.mt_doc_auditblock (id, data, mt_dotnet_type) values ($1, $2::jsonb, 'EmergencyCommand.Server.Audit.AuditBlock')",
                block.Key, json);
        }
        await transaction.CommitAsync();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args) command.Parameters.Add(new NpgsqlParameter { Value = arg });
        await command.ExecuteNonQueryAsync();
    }
}
